package server

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"salesplus/apierr"
	"salesplus/strength"
)

//go:embed templates/reset.html static/strength-worker.js static/zxcvbn/zxcvbn.js
var webFS embed.FS

var resetTemplate = template.Must(template.ParseFS(webFS, "templates/reset.html"))

// resetPageData fills templates/reset.html.
type resetPageData struct {
	Nonce       string
	Action      string
	Policy      pagePolicy
	Username    string
	Code        string
	Token       string // the mail link's token, kept through a failed submit
	Error       string
	Warning     string
	Suggestions []string
	Done        bool
}

// pagePolicy is what the page's live meter needs to reach the server's
// verdict, rendered into its script as JSON from the strength package itself:
// the limits, the level names, the account-independent user inputs, and
// where the scorer (zxcvbn 4.4.2 in a worker) is.
type pagePolicy struct {
	MinLength   int           `json:"minLength"`
	MaxLength   int           `json:"maxLength"`
	MinScore    int           `json:"minScore"`
	Levels      []string      `json:"levels"`
	FixedInputs []string      `json:"fixedInputs"`
	Worker      string        `json:"worker"`
	Words       passwordWords `json:"words"`
}

// passwordWords are the page's refusals of a password, the same from the
// server and from the page's script. TooWeak has a {level} to fill in.
type passwordWords struct {
	TooShort string `json:"tooShort"`
	TooLong  string `json:"tooLong"`
	TooWeak  string `json:"tooWeak"`
	Mismatch string `json:"mismatch"`
}

// refusals uses the app's words for length and names the rating a weak
// password got.
var refusals = passwordWords{
	TooShort: fmt.Sprintf("That password is too short. Use at least %d characters.", strength.MinLength),
	TooLong:  fmt.Sprintf("That password is too long. Use at most %d characters.", strength.MaxLength),
	TooWeak:  fmt.Sprintf("That password is too weak: it is rated {level}, and it must be rated at least %s.", strength.Level(strength.MinScore)),
	Mismatch: details[apierr.PasswordsDoNotMatch],
}

func (s *Server) pagePolicy() pagePolicy {
	levels := make([]string, strength.Excellent+1)
	for l := range levels {
		levels[l] = strength.Level(l).String()
	}
	return pagePolicy{
		MinLength: strength.MinLength, MaxLength: strength.MaxLength, MinScore: strength.MinScore,
		Levels:      levels,
		FixedInputs: strength.UserInputs("", ""),
		Worker:      strings.TrimRight(s.publicURL.Path, "/") + "/static/" + strengthWorker().name,
		Words:       refusals,
	}
}

// renderResetPage writes the web reset page with a fresh CSP nonce: only
// our own inline script and style run, the strength worker comes only from
// this server, nothing loads from elsewhere, the page cannot be framed, and
// the form posts only back to us.
func (s *Server) renderResetPage(w http.ResponseWriter, r *http.Request, status int, d resetPageData, retryAfter time.Duration) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	d.Nonce = base64.RawURLEncoding.EncodeToString(nonce) // no + or /, which the template would escape
	d.Action = strings.TrimRight(s.publicURL.Path, "/") + "/reset"
	d.Policy = s.pagePolicy()
	var buf bytes.Buffer
	if err := resetTemplate.Execute(&buf, d); err != nil {
		s.log.ErrorContext(r.Context(), "reset page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self' 'nonce-"+d.Nonce+"'; worker-src 'self'; style-src 'nonce-"+d.Nonce+
		"'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds(retryAfter)))
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func handleResetPage(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The link carries username and code in the fragment, which never
		// reaches us; the inline script moves them into the form.
		s.renderResetPage(w, r, http.StatusOK, resetPageData{}, 0)
	})
}

// handleResetPageSubmit applies exactly the rules of the JSON confirm call
// and shows the outcome in words. The username and the code stay in the
// form after every refusal that leaves the code usable, so the rep only
// chooses another password.
func handleResetPageSubmit(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "application/x-www-form-urlencoded" {
			s.renderResetPage(w, r, http.StatusUnsupportedMediaType, resetPageData{Error: "Please use the form on this page."}, 0)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		if err := r.ParseForm(); err != nil {
			status := http.StatusBadRequest
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				status = http.StatusRequestEntityTooLarge
			}
			s.renderResetPage(w, r, status, resetPageData{Error: "The form could not be read. Please try again."}, 0)
			return
		}
		d := resetPageData{Username: r.PostForm.Get("username"), Code: r.PostForm.Get("code"), Token: r.PostForm.Get("token")}
		if checkText("username", d.Username, maxUsernameRunes) != nil {
			d.Username = ""
		}
		if !isSixDigits(strings.TrimSpace(d.Code)) {
			d.Code = ""
		}
		if !isLinkToken(d.Token) {
			d.Token = ""
		}
		newPassword, confirm := r.PostForm.Get("newPassword"), r.PostForm.Get("confirmPassword")
		if newPassword != confirm {
			e := newError(apierr.PasswordsDoNotMatch, "")
			d.Error = e.words()
			s.renderResetPage(w, r, e.code.Status(), d, 0)
			return
		}
		err := s.confirmReset(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("code"), r.PostForm.Get("token"), newPassword)
		if err != nil {
			ae := asAPIError(err)
			if ae.code.Status() >= 500 {
				s.log.ErrorContext(r.Context(), "reset page", "err", ae.cause)
			}
			d.Error = pageWords(ae)
			if warn, ok := ae.extras["warning"].(string); ok {
				d.Warning = warn
			}
			if sg, ok := ae.extras["suggestions"].([]string); ok {
				d.Suggestions = sg
			}
			switch ae.code {
			case apierr.CodeExpired, apierr.CodeLocked, apierr.ResetLocked:
				d.Code, d.Token = "", "" // a dead code is no use in the form
			}
			s.renderResetPage(w, r, ae.code.Status(), d, ae.retryAfter)
			return
		}
		s.renderResetPage(w, r, http.StatusOK, resetPageData{Done: true, Username: strings.TrimSpace(d.Username)}, 0)
	})
}

// pageWords is what the page says for a refusal: refusals for a password,
// which the page's script also says before posting.
func pageWords(ae *apiError) string {
	switch ae.code {
	case apierr.PasswordTooShort:
		return refusals.TooShort
	case apierr.PasswordTooLong:
		return refusals.TooLong
	case apierr.PasswordTooWeak:
		if level, ok := ae.extras["level"].(string); ok {
			return strings.Replace(refusals.TooWeak, "{level}", level, 1)
		}
	}
	return ae.words()
}

// staticAsset is a file the page loads from this server under a name that
// holds its content hash, so it can be cached for a year: a new version gets
// a new name.
type staticAsset struct {
	name        string
	contentType string
	body        []byte
	gzipped     func() []byte // compressed on first use, once
}

// strengthWorker is the page's scorer: static/strength-worker.js followed by
// zxcvbn 4.4.2's dist/zxcvbn.js as published (static/zxcvbn/, MIT, see the
// LICENSE.txt beside it), run as a Web Worker.
var strengthWorker = sync.OnceValue(func() staticAsset {
	var body []byte
	for _, f := range []string{"static/strength-worker.js", "static/zxcvbn/zxcvbn.js"} {
		b, err := webFS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		body = append(body, b...)
	}
	sum := sha256.Sum256(body)
	return staticAsset{
		name:        "zxcvbn-4.4.2-" + hex.EncodeToString(sum[:8]) + ".js",
		contentType: "text/javascript; charset=utf-8",
		body:        body,
		gzipped: sync.OnceValue(func() []byte {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			return buf.Bytes()
		}),
	}
})

// handleStatic serves the page's static files: immutable, as their names
// change with their content.
func handleStatic(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := strengthWorker()
		if r.PathValue("name") != a.name {
			writeProblem(w, r, s.log, newError(apierr.NotFound, ""))
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("Vary", "Accept-Encoding")
		body := a.body
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body = a.gzipped()
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		if strings.TrimSpace(name) != "gzip" {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
