package server

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"salesplus/internal/smtptest"
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
	for _, want := range []string{"default-src 'none'", "script-src 'nonce-", "frame-ancestors 'none'", "form-action 'self'"} {
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
		{"weak", form(alex.Username, code, "password1", "password1"), 422, "too easy to guess"},
		{"short", form(alex.Username, code, "Ab1!", "Ab1!"), 422, "at least 8 characters"},
		{"wrong code", form(alex.Username, smtptest.WrongCode(code), newStrongPassword, newStrongPassword), 400, "You have 4 tries left."},
		{"unknown user", form("nobody@example.com", code, newStrongPassword, newStrongPassword), 404, "There is no Sales Plus account"},
	}
	for _, c := range cases {
		status, h, page := e.postForm(c.form)
		if status != c.status || !strings.Contains(page, c.words) {
			t.Errorf("%s: %d, want %d with %q", c.name, status, c.status, c.words)
		}
		if h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: no Referrer-Policy", c.name)
		}
		if strings.Contains(page, newStrongPassword) {
			t.Errorf("%s: the page echoes the password", c.name)
		}
	}
	status, _, page := e.postForm(form(alex.Username, code, newStrongPassword, newStrongPassword))
	if status != 200 || !strings.Contains(page, "Your password was changed") {
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
	big := url.Values{"username": {alex.Username}, "code": {code},
		"newPassword": {strings.Repeat("x", 70<<10)}, "confirmPassword": {"x"}}
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
