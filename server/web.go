package server

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"salesplus/apierr"
)

//go:embed templates/reset.html
var templateFS embed.FS

var resetTemplate = template.Must(template.ParseFS(templateFS, "templates/reset.html"))

// resetPageData fills templates/reset.html.
type resetPageData struct {
	Nonce       string
	Action      string
	Username    string
	Code        string
	Token       string // the mail link's token, kept through a failed submit
	Error       string
	Warning     string
	Suggestions []string
	Done        bool
}

// renderResetPage writes the web reset page with a fresh CSP nonce: only
// our own inline script and style run, nothing loads from elsewhere, the
// page cannot be framed, and the form posts only back to us.
func (s *Server) renderResetPage(w http.ResponseWriter, r *http.Request, status int, d resetPageData, retryAfter time.Duration) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	d.Nonce = base64.RawURLEncoding.EncodeToString(nonce) // no + or /, which the template would escape
	d.Action = strings.TrimRight(s.publicURL.Path, "/") + "/reset"
	var buf bytes.Buffer
	if err := resetTemplate.Execute(&buf, d); err != nil {
		s.log.ErrorContext(r.Context(), "reset page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+d.Nonce+"'; style-src 'nonce-"+d.Nonce+
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
// and shows the outcome in words.
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
			d.Error = ae.words()
			if warn, ok := ae.extras["warning"].(string); ok {
				d.Warning = warn
			}
			if sg, ok := ae.extras["suggestions"].([]string); ok {
				d.Suggestions = sg
			}
			if ae.code != apierr.CodeInvalid {
				d.Code, d.Token = "", "" // a dead code is no use in the form
			}
			s.renderResetPage(w, r, ae.code.Status(), d, ae.retryAfter)
			return
		}
		s.renderResetPage(w, r, http.StatusOK, resetPageData{Done: true}, 0)
	})
}
