package server

import "net/http"

// newHandler wires every route and the middleware around them.
func (s *Server) newHandler() http.Handler {
	mux := http.NewServeMux()
	addRoutes(mux, s)
	var h http.Handler = mux
	h = logRequests(s.log, s.cfg.TrustProxy, h)
	h = securityHeaders(h)
	h = recoverPanics(s.log, h)
	return h
}

// addRoutes is the whole API surface in one place. Each route is limited
// per client address (limit) before its handler runs.
func addRoutes(mux *http.ServeMux, s *Server) {
	api := func(pattern, bucket string, h http.Handler) {
		mux.Handle(pattern, s.limit(bucket, h))
	}
	api("POST /api/v1/password-reset/lookup", "lookup", handleLookup(s))
	api("POST /api/v1/password-reset/request", "request", handleResetRequest(s))
	api("POST /api/v1/password-reset/confirm", "confirm", handleResetConfirm(s))
	api("POST /api/v1/sessions", "login", handleLogin(s))
	api("DELETE /api/v1/sessions/current", "session", handleLogout(s))
	api("GET /api/v1/sync/status", "sync", handleSyncStatus(s))
	api("GET /api/v1/sync/datasets/{name}", "sync", handleDataset(s))
	api("GET /reset", "web", handleResetPage(s))
	api("POST /reset", "web", handleResetPageSubmit(s))
	api("GET /healthz", "health", handleHealth(s))
	if s.cfg.Dev {
		api("GET /dev/mailbox", "dev", handleDevMailbox(s))
	}

	// The same paths with any other method answer a 405 problem rather than
	// the mux's plain-text one.
	for _, path := range []string{
		"/api/v1/password-reset/lookup", "/api/v1/password-reset/request", "/api/v1/password-reset/confirm",
		"/api/v1/sessions", "/api/v1/sessions/current", "/api/v1/sync/status", "/api/v1/sync/datasets/{name}",
		"/reset", "/healthz",
	} {
		mux.Handle(path, handleMethodNotAllowed(s))
	}
	mux.Handle("/", handleNotFound(s))
}
