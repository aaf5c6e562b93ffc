package server

import (
	"os"
	"strings"
	"testing"

	"salesplus/apierr"
)

// api/openapi.yaml is the contract: every route the server serves and every
// error code of package apierr must be in it, and it names no other code, so
// the two cannot drift apart.
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
	for _, code := range apierr.Codes() {
		if code == apierr.PasswordsDoNotMatch {
			continue // only on the HTML page, never in a problem document
		}
		if !strings.Contains(spec, "        - "+string(code)+"\n") {
			t.Errorf("error code %s is not in the spec's ProblemCode enum", code)
		}
	}
	// And the other way: the spec's enum names no code the Go side lacks.
	_, enum, _ := strings.Cut(spec, "    ProblemCode:\n      type: string\n      enum:\n")
	n := 0
	for _, line := range strings.Split(enum, "\n") {
		code, ok := strings.CutPrefix(line, "        - ")
		if !ok {
			break
		}
		n++
		if !apierr.Code(code).Known() {
			t.Errorf("the spec's ProblemCode %s is not in package apierr", code)
		}
	}
	if n == 0 {
		t.Error("no ProblemCode enum found in the spec")
	}
	if !strings.Contains(spec, "openapi: 3.1.0\n") {
		t.Error("not OpenAPI 3.1")
	}
}
