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
	for _, rt := range routes {
		// The path's block runs to the next line indented two spaces.
		_, block, ok := strings.Cut(spec, "\n  "+rt.path+":\n")
		if end := strings.Index(block, "\n  /"); end >= 0 {
			block = block[:end]
		}
		if !ok || !strings.Contains("\n"+block, "\n    "+strings.ToLower(rt.method)+":") {
			t.Errorf("route %s %s is not in the spec", rt.method, rt.path)
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
