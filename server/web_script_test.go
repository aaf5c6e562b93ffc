package server

import (
	"bytes"
	"encoding/json"
	"html"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

var (
	inlineScript = regexp.MustCompile(`(?s)<script nonce="[^"]*">(.*?)</script>`)
	inputTag     = regexp.MustCompile(`<input\b[^>]*\bid="([^"]+)"[^>]*>`)
	valueAttr    = regexp.MustCompile(`\svalue="([^"]*)"`)
)

// pageForm is what the page's script sees of it: the script itself and the
// inputs by id with the values the server rendered.
type pageForm struct {
	script string
	fields map[string]string
}

func readPageForm(t *testing.T, page string) pageForm {
	t.Helper()
	m := inlineScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page has no inline script")
	}
	f := pageForm{script: m[1], fields: map[string]string{}}
	for _, tag := range inputTag.FindAllStringSubmatch(page, -1) {
		v := ""
		if a := valueAttr.FindStringSubmatch(tag[0]); a != nil {
			v = html.UnescapeString(a[1])
		}
		f.fields[tag[1]] = v
	}
	return f
}

// browserRun is what the script did in testdata/reset_page_browser.js.
type browserRun struct {
	Fields       map[string]string
	ReplaceState []struct{ URL string }
	Focused      []string
}

// runInBrowserStandIn runs the page's script under Node with the link's
// fragment (without the #) in location.hash.
func runInBrowserStandIn(t *testing.T, node string, f pageForm, fragment string) browserRun {
	t.Helper()
	hash := ""
	if fragment != "" {
		hash = "#" + fragment
	}
	in, err := json.Marshal(map[string]any{"script": f.script, "hash": hash, "pathname": "/reset", "fields": f.fields})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), node, "testdata/reset_page_browser.js")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var run browserRun
	if err := json.Unmarshal(out, &run); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	return run
}

// The page's one script moves username and code from the link's fragment
// into the form without overwriting what the server rendered, drops the
// fragment so the code leaves the address bar and history, and puts the
// cursor in the first empty field. It runs, as served, under Node against a
// stand-in for the browser built from the page's own inputs.
func TestResetPageScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is not installed; CI must run the reset page's script test (Debian package nodejs)")
		}
		t.Skip("node is not installed (Debian package nodejs): skipping the reset page's script test")
	}
	e := newEnv(t)
	_, _, body := e.getPage()
	fresh := readPageForm(t, body)

	// Back after an error the server kept both values for (passwords that
	// differ), so the user does not type them again.
	const renderedCode = "314159"
	status, _, page := e.postForm(url.Values{"username": {alex.Username}, "code": {renderedCode},
		"newPassword": {newStrongPassword}, "confirmPassword": {newStrongPassword + "x"}})
	if status != 422 {
		t.Fatalf("mismatched passwords: %d", status)
	}
	rerendered := readPageForm(t, page)
	if rerendered.fields["username"] != alex.Username || rerendered.fields["code"] != renderedCode {
		t.Fatal("the page after an error lost the username or code it should keep")
	}

	// The fragment of the link the mail carries, as the server builds it.
	const linkToken = "bGlua3Rva2VuLWxpbmt0b2tlbi1saW5rdG9rZW4tbGk"
	linkFragment := func(username, code string) string {
		_, frag, ok := strings.Cut(e.srv.resetLink(username, code, linkToken), "#")
		if !ok {
			t.Fatal("the reset link has no fragment")
		}
		return frag
	}
	const code = "271828"
	plusUser := "sam+sales@example.com"
	cases := []struct {
		name           string
		form           pageForm
		fragment       string
		username, code string // the fields afterwards
		focus          string // "" for none
		dropsFragment  bool
	}{
		{"both in the link", fresh, linkFragment(alex.Username, code), alex.Username, code, "newPassword", true},
		{"username only", fresh, url.Values{"username": {alex.Username}}.Encode(), alex.Username, "", "code", true},
		{"code only", fresh, "code=" + code, "", code, "username", true},
		{"no fragment", fresh, "", "", "", "", false},
		{"server values win", rerendered, linkFragment("someone@example.com", "999999"), alex.Username, renderedCode, "newPassword", true},
		{"email with + in the link", fresh, linkFragment(plusUser, code), plusUser, code, "newPassword", true},
		// As in any form encoding, which the link builder writes: a bare + is a space.
		{"bare + is a space", fresh, "username=sam+sales%40example.com&code=" + code, "sam sales@example.com", code, "newPassword", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := runInBrowserStandIn(t, node, c.form, c.fragment)
			want := map[string]string{"username": c.username, "code": c.code, "token": "", "newPassword": "", "confirmPassword": ""}
			if strings.Contains(c.fragment, "token=") {
				want["token"] = linkToken
			}
			if len(run.Fields) != len(want) {
				t.Errorf("inputs %v, want %v", run.Fields, want)
			}
			for id, v := range want {
				if got, ok := run.Fields[id]; !ok || got != v {
					t.Errorf("%s = %q, want %q", id, got, v)
				}
			}
			switch {
			case !c.dropsFragment && len(run.ReplaceState) != 0:
				t.Errorf("replaceState called without a fragment: %+v", run.ReplaceState)
			case c.dropsFragment && len(run.ReplaceState) != 1:
				t.Errorf("replaceState called %d times, want once", len(run.ReplaceState))
			case c.dropsFragment:
				// Only the path: no fragment, so no code in the address bar or history.
				if u := run.ReplaceState[0].URL; u != "/reset" {
					t.Errorf("replaceState to %q, want /reset", u)
				}
			}
			var wantFocus []string
			if c.focus != "" {
				wantFocus = []string{c.focus}
			}
			if strings.Join(run.Focused, ",") != strings.Join(wantFocus, ",") {
				t.Errorf("focused %v, want %v", run.Focused, wantFocus)
			}
		})
	}
}
