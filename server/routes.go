package server

import (
	"net/http"
	"strings"
)

// newHandler wires every route and the middleware around them.
func (s *Server) newHandler() http.Handler {
	mux := http.NewServeMux()
	addRoutes(mux, s)
	var h http.Handler = mux
	h = refuseChunked(s.log, h)
	h = logRequests(s.log, s.cfg.TrustProxy, h)
	h = securityHeaders(h)
	h = recoverPanics(s.log, h)
	return h
}

// route is one entry of the API surface: a method and path, the
// per-client-address allowance it draws on, and its handler.
type route struct {
	method, path, bucket string
	handler              func(*Server) http.Handler
}

// routes is the whole API surface in one place; api/openapi.yaml lists the
// same paths (TestOpenAPIMatchesServer).
var routes = []route{
	{"POST", "/api/v1/password-reset/lookup", "lookup", handleLookup},
	{"POST", "/api/v1/password-reset/request", "request", handleResetRequest},
	{"POST", "/api/v1/password-reset/confirm", "confirm", handleResetConfirm},
	{"POST", "/api/v1/sessions", "login", handleLogin},
	{"DELETE", "/api/v1/sessions/current", "session", handleLogout},
	{"GET", "/api/v1/sync/status", "sync", handleSyncStatus},
	{"GET", "/api/v1/sync/datasets/{name}", "sync", handleDataset},
	{"GET", "/reset", "web", handleResetPage},
	{"POST", "/reset", "web", handleResetPageSubmit},
	{"GET", "/static/{name}", "web", handleStatic}, // the reset page's strength worker
	{"GET", "/healthz", "health", handleHealth},
	{"GET", "/dev/mailbox", "dev", handleDevMailbox}, // only with Config.Dev
}

// addRoutes mounts routes, each limited per client address (limit) before
// its handler runs. Their paths with any other method answer a 405 problem,
// with the Allow header RFC 9110 §15.5.6 requires, rather than the mux's
// plain-text one; everything else is a 404 problem.
func addRoutes(mux *http.ServeMux, s *Server) {
	allow := map[string][]string{}
	var paths []string
	for _, rt := range routes {
		if strings.HasPrefix(rt.path, "/dev/") && !s.cfg.Dev {
			continue
		}
		mux.Handle(rt.method+" "+rt.path, s.limit(rt.bucket, rt.handler(s)))
		if allow[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		allow[rt.path] = append(allow[rt.path], rt.method)
		if rt.method == http.MethodGet {
			allow[rt.path] = append(allow[rt.path], http.MethodHead) // the mux serves HEAD with GET
		}
	}
	for _, p := range paths {
		mux.Handle(p, handleMethodNotAllowed(s, strings.Join(allow[p], ", ")))
	}
	mux.Handle("/", handleNotFound(s))
}
