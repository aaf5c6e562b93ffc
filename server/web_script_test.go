package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"salesplus/internal/runtest"
	"salesplus/strength"
)

var (
	inlineScript = regexp.MustCompile(`(?s)<script nonce="[^"]*">(.*?)</script>`)
	idTag        = regexp.MustCompile(`<([a-z]+)\b([^>]*\bid="([^"]+)"[^>]*)>([^<]*)`)
	valueAttr    = regexp.MustCompile(`\svalue="([^"]*)"`)
	typeAttr     = regexp.MustCompile(`\stype="([^"]*)"`)
	hiddenAttr   = regexp.MustCompile(`\shidden[\s>]|\shidden$`)
	ariaAttr     = regexp.MustCompile(`\s(aria-[a-z]+)="([^"]*)"`)
)

// pageElement is what the stand-in browser builds of an element with an id.
type pageElement struct {
	Tag         string            `json:"tag"`
	Value       string            `json:"value"`
	Type        string            `json:"type"`
	Hidden      bool              `json:"hidden"`
	TextContent string            `json:"textContent"`
	Attributes  map[string]string `json:"attributes"`
}

// pageForm is what the page's script sees of it: the script itself and the
// elements by id as the server rendered them.
type pageForm struct {
	script   string
	elements map[string]pageElement
}

func readPageForm(t *testing.T, page string) pageForm {
	t.Helper()
	m := inlineScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page has no inline script")
	}
	f := pageForm{script: m[1], elements: map[string]pageElement{}}
	for _, tag := range idTag.FindAllStringSubmatch(page, -1) {
		attrs := tag[2]
		el := pageElement{
			Tag: tag[1], Hidden: hiddenAttr.MatchString(attrs), TextContent: html.UnescapeString(tag[4]),
			Attributes: map[string]string{},
		}
		for _, a := range ariaAttr.FindAllStringSubmatch(attrs, -1) {
			el.Attributes[a[1]] = html.UnescapeString(a[2])
		}
		if a := valueAttr.FindStringSubmatch(attrs); a != nil {
			el.Value = html.UnescapeString(a[1])
		}
		if a := typeAttr.FindStringSubmatch(attrs); a != nil {
			el.Type = a[1]
		}
		f.elements[tag[3]] = el
	}
	return f
}

// standInStep is one thing the rep does: set values, then fire input on
// one element, click one, and try to submit the form.
type standInStep struct {
	Set    map[string]string `json:"set,omitempty"`
	Input  string            `json:"input,omitempty"`
	Click  string            `json:"click,omitempty"`
	Submit bool              `json:"submit,omitempty"`
	WaitMs int               `json:"waitMs,omitempty"` // wait this long, not until the worker is idle
}

// seen is what the rep sees after a step.
type seen struct {
	Label, LabelClass, Need, Warning, Tips string
	MeterHidden                            bool
	Inputs                                 []string // sent to the worker last
	Types                                  []string
	Toggle                                 struct {
		Hidden        bool
		Text, Pressed string
	}
	Posts     bool
	FormError string
}

// browserRun is what the script did in testdata/reset_page_browser.js.
type browserRun struct {
	Fields         map[string]string
	ReplaceState   []struct{ URL string }
	Focused        []string
	WorkersStarted int
	Steps          []seen
}

// needNode returns Node's path, skipping the test without it (failing in CI).
func needNode(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs Node: not in -short (make check)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is not installed; CI must run the reset page's script test (Debian package nodejs)")
		}
		t.Skip("node is not installed (Debian package nodejs): skipping the reset page's script test")
	}
	return node
}

// runInBrowserStandIn runs the page's script under Node with the link's
// fragment (without the #) in location.hash, then takes steps. workers maps
// a URL to the script new Worker(URL) runs.
func runInBrowserStandIn(t *testing.T, node string, f pageForm, fragment string, workers map[string]string, steps ...standInStep) browserRun {
	t.Helper()
	hash := ""
	if fragment != "" {
		hash = "#" + fragment
	}
	if workers == nil {
		workers = map[string]string{}
	}
	in, err := json.Marshal(map[string]any{
		"script": f.script, "hash": hash, "pathname": "/reset", "elements": f.elements,
		"workers": workers, "steps": steps,
	})
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
// cursor in the first empty field when any is filled. It runs, as served,
// under Node against a stand-in for the browser built from the page's own
// elements.
func TestResetPageScript(t *testing.T) {
	node := needNode(t)
	e := newEnv(t)
	_, _, body := e.getPage()
	fresh := readPageForm(t, body)

	// Back after an error the server kept both values for (passwords that
	// differ), so the user does not type them again.
	const renderedCode = "314159"
	status, _, page := e.postForm(url.Values{
		"username": {alex.Username}, "code": {renderedCode},
		"newPassword": {newStrongPassword}, "confirmPassword": {newStrongPassword + "x"},
	})
	if status != 422 {
		t.Fatalf("mismatched passwords: %d", status)
	}
	rerendered := readPageForm(t, page)
	if rerendered.elements["username"].Value != alex.Username || rerendered.elements["code"].Value != renderedCode {
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
		{"back after a refusal", rerendered, "", alex.Username, renderedCode, "newPassword", false},
		{"email with + in the link", fresh, linkFragment(plusUser, code), plusUser, code, "newPassword", true},
		// As in any form encoding, which the link builder writes: a bare + is a space.
		{"bare + is a space", fresh, "username=sam+sales%40example.com&code=" + code, "sam sales@example.com", code, "newPassword", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := runInBrowserStandIn(t, node, c.form, c.fragment, e.workers())
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

// workers fetches the page's strength worker from the server, as the
// browser would, for the stand-in's new Worker(url).
func (e *env) workers() map[string]string {
	e.t.Helper()
	path := e.srv.pagePolicy().Worker
	res, err := e.ts.Client().Get(e.ts.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
	return map[string]string{path: string(b)}
}

// pageAlert is the server's refusal on the page, in words.
var pageAlert = regexp.MustCompile(`<div class="error" role="alert"><p>([^<]*)</p>`)

// The page's live rating is the server's verdict: the page's script, with
// the zxcvbn 4.4.2 worker the server serves, rates each password as
// strength.Evaluate rates the server's NFKC form of it with the account's
// user inputs (the same level, warning and tips), refuses before posting
// exactly what the server refuses, and in the server's words, which the
// real server is asked for. Lengths count runes of the NFKC form, as the
// server does: an emoji is one character, a ligature "ﬃ" three.
func TestResetPageRatesLikeTheServer(t *testing.T) {
	node := needNode(t)
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	_, _, body := e.getPage()
	fragment := url.Values{"username": {alex.Username}, "code": {code}}.Encode()
	inputs := strength.UserInputs(alex.Username, alex.Email)

	emoji := func(n int) string {
		return runtest.RandomRunes("😀😁😂🤣😃😄😅😆😉😊😋😎🔑🚀", n, 11)
	}
	passwords := []string{
		"password", "password1", "alexmorgan", "Alex.Morgan2024", "morgan-alex!", "salesplus2024",
		"qwertyuiop", "abc", "1234567", "Ab1!", "k9#Tm2!q", "Summer2024!!", "correcthorse",
		alex.Password, newStrongPassword, "zoë-zoë-zoë", "İstanbul2024", "pässwörd123", "Tr0ub4dor&3",
		"😀😁😂🤣😃😄😅😆", // 8 runes, 16 UTF-16 units: long enough
		"😀😀😀😀",     // 4 runes, 8 units: too short
		"🔑Sales🔑Plus🔑", emoji(40), emoji(100),
		strings.Repeat("correct horse battery staple ", 9)[:256], // 256 runes: rated, not too long
		strings.Repeat("x", 257), strings.Repeat("Sales Plus rocks! ", 17)[:300],
		emoji(257), // 257 runes (514 units): too long
		// The server checks the NFKC form: fullwidth letters are plain ones,
		// a ligature is its letters (3 runes typed, 9 checked; 86 typed, 258
		// checked), accents typed either way are one password.
		"ｐａｓｓｗｏｒｄ１２３", "ﬃﬃﬃ", strings.Repeat("ﬃ", 86), composedPassword, decomposedPassword,
	}
	steps := make([]standInStep, len(passwords))
	for i, pw := range passwords {
		steps[i] = standInStep{Set: map[string]string{"newPassword": pw, "confirmPassword": pw}, Input: "newPassword", Submit: true}
	}
	run := runInBrowserStandIn(t, node, readPageForm(t, body), fragment, e.workers(), steps...)
	if len(run.Steps) != len(passwords) {
		t.Fatalf("%d steps ran, want %d", len(run.Steps), len(passwords))
	}
	for i, pw := range passwords {
		got := run.Steps[i]
		name := pw
		if n := utf8.RuneCountInString(pw); n > 20 {
			name = fmt.Sprintf("%.20s… (%d runes)", pw, n)
		}
		checked := strength.Normalize(pw)
		_, checkErr := strength.Check(checked, inputs)
		if utf8.RuneCountInString(checked) > strength.MaxLength {
			if got.Label != "Too long" || got.Warning != "Use at most 256 characters." {
				t.Errorf("%s: meter %q / %q, want the app's Too long", name, got.Label, got.Warning)
			}
		} else {
			r := strength.Evaluate(checked, inputs)
			wantNeed := ""
			if !r.Acceptable() {
				wantNeed = "Needs at least Acceptable."
			}
			tips := r.Suggestions
			if utf8.RuneCountInString(checked) < strength.MinLength {
				tips = append([]string{"Use at least 8 characters."}, tips...)
			}
			wantTips := ""
			if len(tips) > 0 {
				wantTips = "• " + strings.Join(tips, "\n• ")
			}
			if got.Label != "Password strength: "+r.Level.String() || got.Need != wantNeed || got.Warning != r.Warning || got.Tips != wantTips {
				t.Errorf("%s: page shows %q %q %q %q\nserver's verdict %s %q %q", name, got.Label, got.Need, got.Warning, got.Tips, r.Level, r.Warning, wantTips)
			}
		}
		if got.Posts != (checkErr == nil) {
			t.Errorf("%s: the page posts=%v, the server's check says %v", name, got.Posts, checkErr)
			continue
		}
		if checkErr == nil {
			continue
		}
		// The server's words for the same form post (a refused password
		// leaves the code usable, so every case can post).
		e.clock.Advance(2 * time.Second) // within the page's per-address allowance
		status, _, page := e.postForm(url.Values{"username": {alex.Username}, "code": {code}, "newPassword": {pw}, "confirmPassword": {pw}})
		m := pageAlert.FindStringSubmatch(page)
		if status != http.StatusUnprocessableEntity || m == nil {
			t.Errorf("%s: the server answered %d without a refusal", name, status)
			continue
		}
		if words := html.UnescapeString(m[1]); got.FormError != words {
			t.Errorf("%s: the page says %q, the server %q", name, got.FormError, words)
		}
	}
}

// The page sends zxcvbn the same user inputs as the server:
// strength.UserInputs of the username typed, with Go's trimming and
// lower-casing where JavaScript's differ (İ, U+FEFF, U+0085, a final Σ).
func TestResetPageUserInputs(t *testing.T) {
	node := needNode(t)
	e := newEnv(t)
	_, _, body := e.getPage()
	usernames := []string{
		alex.Username, "Sam+Sales@Example.COM", "  padded@example.com ", "İpek.Yılmaz@example.com",
		"ΣΟΦΙΑΣ@example.com", "zoë_o'neil-smith@exa.mple.co.uk", "a..b@@c", "\u00a0nbsp@example.com\u3000",
		"\ufeffbom@example.com", "x\u0085@example.com", "ǅemal@example.com", "ẞtraße@example.com",
		"😀emoji@example.com", "sales@plus.inzant", "",
	}
	steps := make([]standInStep, len(usernames))
	for i, u := range usernames {
		// A new password each time, so the page rates (and sends inputs) again.
		steps[i] = standInStep{Set: map[string]string{"username": u, "newPassword": fmt.Sprintf("pw%d", i)}, Input: "newPassword"}
	}
	run := runInBrowserStandIn(t, node, readPageForm(t, body), "", e.workers(), steps...)
	for i, u := range usernames {
		want := strength.UserInputs(u, u)
		if got := run.Steps[i].Inputs; strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q: the page sends %q, the server uses %q", u, got, want)
		}
	}
}

// The toggle shows and hides both passwords, and says which it will do.
func TestResetPageShowPasswords(t *testing.T) {
	node := needNode(t)
	e := newEnv(t)
	_, _, body := e.getPage()
	f := readPageForm(t, body)
	if !f.elements["showPasswords"].Hidden {
		t.Error("the toggle shows without JavaScript, where it cannot work")
	}
	run := runInBrowserStandIn(t, node, f, "", nil,
		standInStep{}, standInStep{Click: "showPasswords"}, standInStep{Click: "showPasswords"})
	for i, want := range []struct {
		typ, text, pressed string
	}{{"password", "Show passwords", "false"}, {"text", "Hide passwords", "true"}, {"password", "Show passwords", "false"}} {
		got := run.Steps[i]
		if got.Toggle.Hidden || got.Toggle.Text != want.text || got.Toggle.Pressed != want.pressed ||
			strings.Join(got.Types, ",") != want.typ+","+want.typ {
			t.Errorf("after %d clicks: toggle %+v, fields %v; want %q, %q, %s", i, got.Toggle, got.Types, want.text, want.pressed, want.typ)
		}
	}
}

// A paste zxcvbn needs about a minute for (256 l33t symbols) does not hold
// up the rating of what the rep types next: after a second the page drops
// that rating, starts a fresh worker and rates the new text.
func TestResetPageDropsASlowRating(t *testing.T) {
	node := needNode(t)
	e := newEnv(t)
	_, _, body := e.getPage()
	slow := strings.Repeat("4@8({[<3%6!1|7+0$5+2", 13)[:256]
	run := runInBrowserStandIn(t, node, readPageForm(t, body), "", e.workers(),
		standInStep{Set: map[string]string{"newPassword": slow}, Input: "newPassword", WaitMs: 600},
		standInStep{Set: map[string]string{"newPassword": "k9#Tm2!q"}, Input: "newPassword"})
	if got := run.Steps[0].Label; got != "Password strength: rating…" {
		t.Errorf("while the paste is rated the meter says %q", got)
	}
	if got := run.Steps[1].Label; got != "Password strength: Acceptable" {
		t.Errorf("after the paste, the typed password shows %q", got)
	}
	// Waiting for the paste's rating would have kept one worker.
	if run.WorkersStarted != 2 {
		t.Errorf("%d workers started, want 2 (the slow one dropped)", run.WorkersStarted)
	}
}

// Without the worker (blocked, or failed to load) the page hides the meter
// and lets the server decide; the length and match rules still answer at
// once.
func TestResetPageWorksWithoutTheWorker(t *testing.T) {
	node := needNode(t)
	e := newEnv(t)
	_, _, body := e.getPage()
	typed := func(pw, confirm string) standInStep {
		return standInStep{Set: map[string]string{"newPassword": pw, "confirmPassword": confirm}, Input: "newPassword", Submit: true}
	}
	run := runInBrowserStandIn(t, node, readPageForm(t, body), "", nil, // no worker to be had
		typed("password", "password"), typed("Ab1!", "Ab1!"), typed("password", "passwort"))
	for i, want := range []struct {
		posts     bool
		formError string
	}{{true, ""}, {false, refusals.TooShort}, {false, refusals.Mismatch}} {
		got := run.Steps[i]
		if !got.MeterHidden || got.Posts != want.posts || got.FormError != want.formError {
			t.Errorf("step %d: meter hidden %v, posts %v, %q; want hidden, %v, %q", i, got.MeterHidden, got.Posts, got.FormError, want.posts, want.formError)
		}
	}
}
