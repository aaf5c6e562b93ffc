package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"salesplus/internal/runtest"
	"salesplus/internal/smtptest"
	"salesplus/strength"
)

// getPage fetches the reset page as a browser opening the mail's link would.
func (e *env) getPage() (int, http.Header, string) {
	e.t.Helper()
	res, err := e.ts.Client().Get(e.ts.URL + "/reset")
	return e.page(res, err)
}

// postForm submits the reset page's form.
func (e *env) postForm(form url.Values) (int, http.Header, string) {
	e.t.Helper()
	res, err := e.ts.Client().PostForm(e.ts.URL+"/reset", form)
	return e.page(res, err)
}

func (e *env) page(res *http.Response, err error) (int, http.Header, string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

func TestResetPageServesTheForm(t *testing.T) { eachStore(t, testResetPageServesTheForm) }

func testResetPageServesTheForm(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	status, header, page := e.getPage()
	if status != 200 || header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("%d Referrer-Policy=%q", status, header.Get("Referrer-Policy"))
	}
	csp := header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self' 'nonce-", "worker-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	// The same four fields as the app, in a plain form that posts without JS.
	for _, want := range []string{`method="post"`, `action="/reset"`, `name="username"`, `name="code"`, `name="newPassword"`, `name="confirmPassword"`, "Save New Password"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// The only script carries the nonce of this answer.
	nonce := csp[strings.Index(csp, "'nonce-")+7:]
	nonce = nonce[:strings.Index(nonce, "'")]
	if strings.Count(page, "<script") != 1 || !strings.Contains(page, `<script nonce="`+nonce+`">`) {
		t.Error("inline script without the CSP nonce")
	}
	// Nothing cuts a long paste short: the length rules are the server's
	// (and the script's), in words.
	if strings.Contains(page, "minlength") || strings.Count(page, "maxlength") != 2 {
		t.Error("a password field has minlength or maxlength")
	}
}

// The page's scorer is zxcvbn 4.4.2 as published, served by this server
// under a content-hashed name with a year's caching, gzipped on request.
func TestResetPageServesTheStrengthWorker(t *testing.T) {
	eachStore(t, testResetPageServesTheStrengthWorker)
}

func testResetPageServesTheStrengthWorker(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	_, _, page := e.getPage()
	path := e.srv.pagePolicy().Worker
	if !strings.HasPrefix(path, "/static/zxcvbn-4.4.2-") || !strings.Contains(page, `"worker":"`+path+`"`) {
		t.Fatalf("worker %q, not named in the page", path)
	}
	vendored, err := os.ReadFile("static/zxcvbn/zxcvbn.js")
	if err != nil {
		t.Fatal(err)
	}
	// sha256 of dist/zxcvbn.js in the npm package zxcvbn 4.4.2.
	if sum := sha256.Sum256(vendored); hex.EncodeToString(sum[:]) != "f42c651f40506acb6b662490f338dd47a5951d3312039c4ab8fe5090484f351a" {
		t.Error("static/zxcvbn/zxcvbn.js is not zxcvbn 4.4.2's dist/zxcvbn.js")
	}
	glue, err := os.ReadFile("static/strength-worker.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, gzipped := range []bool{false, true} {
		req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
		if gzipped {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		// A transport of its own, which leaves the encoding alone.
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = res.Body
		if gzipped {
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatal("no gzip for a client that accepts it")
			}
			if body, err = gzip.NewReader(res.Body); err != nil {
				t.Fatal(err)
			}
		} else if res.Header.Get("Content-Encoding") != "" {
			t.Fatal("gzip for a client that did not ask for it")
		}
		b, err := io.ReadAll(body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 || !bytes.Equal(b, append(glue, vendored...)) {
			t.Fatalf("gzip=%v: %d %v, %d bytes", gzipped, res.StatusCode, err, len(b))
		}
		h := res.Header
		if h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("Content-Type") != "text/javascript; charset=utf-8" ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("gzip=%v: headers %v", gzipped, h)
		}
	}
	// Another version's name is not this file.
	for _, other := range []string{"/static/zxcvbn-4.4.2-0000000000000000.js", "/static/zxcvbn.js", "/static/"} {
		res, err := e.ts.Client().Get(e.ts.URL + other)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d, Cache-Control %q", other, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
}

// The web page applies the same rules as the API and says what is wrong in
// words; it works without JavaScript (a plain form post).
func TestResetPageSubmit(t *testing.T) { eachStore(t, testResetPageSubmit) }

func testResetPageSubmit(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	form := func(user, code, pw, confirm string) url.Values {
		return url.Values{"username": {user}, "code": {code}, "newPassword": {pw}, "confirmPassword": {confirm}}
	}
	cases := []struct {
		name   string
		form   url.Values
		status int
		words  string
	}{
		{"mismatch", form(alex.Username, code, newStrongPassword, newStrongPassword+"x"), 422, "The two passwords are not the same."},
		{"weak", form(alex.Username, code, "password1", "password1"), 422, "That password is too weak: it is rated Poor, and it must be rated at least Acceptable."},
		{"weak with the name", form(alex.Username, code, "alexmorgan", "alexmorgan"), 422, "it is rated Poor"}, // the email without its dot is a user input
		{"short", form(alex.Username, code, "Ab1!", "Ab1!"), 422, "That password is too short. Use at least 8 characters."},
		// The app's words; a 300-character paste is never cut to 256 and saved.
		{"long", form(alex.Username, code, strings.Repeat("Tangerine ", 30), strings.Repeat("Tangerine ", 30)), 422, "That password is too long. Use at most 256 characters."},
		{"wrong code", form(alex.Username, smtptest.WrongCode(code), newStrongPassword, newStrongPassword), 400, "You have 4 tries left."},
		{"unknown user", form("nobody@example.com", code, newStrongPassword, newStrongPassword), 404, "There is no Sales Plus account"},
	}
	for _, c := range cases {
		status, h, page := e.postForm(c.form)
		if status != c.status || !strings.Contains(page, html.EscapeString(c.words)) {
			t.Errorf("%s: %d, want %d with %q", c.name, status, c.status, c.words)
		}
		// The code is still usable, so the form keeps it with the
		// username: the rep only chooses another password.
		f := readPageForm(t, page)
		if f.elements["username"].Value != c.form.Get("username") || f.elements["code"].Value != c.form.Get("code") {
			t.Errorf("%s: the form forgot the username or code: %q %q", c.name, f.elements["username"].Value, f.elements["code"].Value)
		}
		if h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: no Referrer-Policy", c.name)
		}
		if strings.Contains(page, newStrongPassword) {
			t.Errorf("%s: the page echoes the password", c.name)
		}
	}
	status, _, page := e.postForm(form(alex.Username, code, newStrongPassword, newStrongPassword))
	if status != 200 || !strings.Contains(page, "Your password was changed") ||
		!strings.Contains(page, "Go back to the Sales Plus app.") || !strings.Contains(page, "Log in as <strong>"+alex.Username+"</strong> with your new password.") {
		t.Fatalf("good submit: %d\n%s", status, page)
	}
	// No automatic login: the user logs in with the new password.
	if r := e.login(alex.Username, newStrongPassword); r.Status != 201 {
		t.Fatalf("login after the web reset: %d", r.Status)
	}
	status, _, page = e.postForm(form(alex.Username, code, newStrongPassword, newStrongPassword))
	if status != 410 || !strings.Contains(page, "expired or was already used") {
		t.Fatalf("reused code on the web: %d", status)
	}
	if f := readPageForm(t, page); f.elements["code"].Value != "" || f.elements["username"].Value != alex.Username {
		t.Errorf("after a used code the form holds code %q, username %q; want no code", f.elements["code"].Value, f.elements["username"].Value)
	}
	// Not a form post.
	res, err := e.ts.Client().Post(e.ts.URL+"/reset", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("JSON post to the page: %d", res.StatusCode)
	}
}

// The page takes only its own form, at most 64 KiB, and a bad post changes
// nothing: the seeded password still works.
func TestResetPageRefusesBadPosts(t *testing.T) { eachStore(t, testResetPageRefusesBadPosts) }

func testResetPageRefusesBadPosts(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	big := url.Values{
		"username": {alex.Username}, "code": {code},
		"newPassword": {strings.Repeat("x", 70<<10)}, "confirmPassword": {"x"},
	}
	if status, _, page := e.postForm(big); status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "could not be read") {
		t.Errorf("70 KiB form: %d", status)
	}
	body := `{"username":"` + alex.Username + `","code":"` + code + `","newPassword":"` + newStrongPassword + `","confirmPassword":"` + newStrongPassword + `"}`
	res, err := e.ts.Client().Post(e.ts.URL+"/reset", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("JSON post to the page: %d", res.StatusCode)
	}
	if r := e.login(alex.Username, alex.Password); r.Status != 201 {
		t.Errorf("the password changed: %d", r.Status)
	}
}

// A password of 256 characters is saved whole: 256 emoji (1 KiB of UTF-8,
// 512 UTF-16 units) log in afterwards, and one character less does not.
func TestResetPageSavesLongPasswordsWhole(t *testing.T) {
	eachStore(t, testResetPageSavesLongPasswordsWhole)
}

func testResetPageSavesLongPasswordsWhole(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	pw := runtest.RandomRunes("😀😁😂🤣😃😄😅😆😉😊😋😎🔑🚀", strength.MaxLength, 11)
	status, _, page := e.postForm(url.Values{"username": {alex.Username}, "code": {code}, "newPassword": {pw}, "confirmPassword": {pw}})
	if status != 200 || !strings.Contains(page, "Your password was changed") {
		t.Fatalf("256 emoji: %d", status)
	}
	if r := e.login(alex.Username, pw); r.Status != 201 {
		t.Fatalf("login with the 256 emoji: %d", r.Status)
	}
	if r := e.login(alex.Username, string([]rune(pw)[:strength.MaxLength-1])); r.Status != 401 {
		t.Fatalf("login with 255 of them: %d", r.Status)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "gzip, deflate, br": true, "br;q=1.0, gzip;q=0.8": true,
		"gzip;q=0": false, "gzip; q=0.000": false, "deflate": false, "x-gzip": false, "identity, *;q=0": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
