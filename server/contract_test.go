package server

import (
	"os"
	"strings"
	"testing"
)

// api/openapi.yaml is the contract: every route the server serves and every
// error code it can answer must be in it, so the two cannot drift apart.
func TestOpenAPIMatchesServer(t *testing.T) {
	raw, err := os.ReadFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec := string(raw)
	for _, path := range []string{
		"/api/v1/password-reset/lookup", "/api/v1/password-reset/request", "/api/v1/password-reset/confirm",
		"/api/v1/sessions", "/api/v1/sessions/current", "/api/v1/sync/status", "/api/v1/sync/datasets/{name}",
		"/reset", "/healthz", "/dev/mailbox",
	} {
		if !strings.Contains(spec, "\n  "+path+":\n") {
			t.Errorf("route %s is not in the spec", path)
		}
	}
	for code := range problemKinds {
		if code == codePasswordsDoNotMatch {
			continue // only on the HTML page, never in a problem document
		}
		if !strings.Contains(spec, "        - "+string(code)+"\n") {
			t.Errorf("error code %s is not in the spec's ProblemCode enum", code)
		}
	}
	if !strings.Contains(spec, "openapi: 3.1.0\n") {
		t.Error("not OpenAPI 3.1")
	}
}
