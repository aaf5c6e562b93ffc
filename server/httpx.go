package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"salesplus/apierr"
)

// maxBodyBytes caps every request body (64 KiB).
const maxBodyBytes = 64 << 10

// decodeJSON reads r's body into v under the contract's rules: Content-Type
// application/json, at most 64 KiB, valid UTF-8, exactly one JSON object
// with no unknown fields.
func decodeJSON(r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return newError(apierr.UnsupportedMediaType, "")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return badRequest("The request body could not be read.")
	}
	if len(body) > maxBodyBytes {
		return newError(apierr.PayloadTooLarge, "")
	}
	// encoding/json would silently turn invalid UTF-8 into U+FFFD.
	if !utf8.Valid(body) {
		return badRequest("The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return badRequest("The field %q has the wrong type.", typeErr.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return badRequest("The request has an unknown field: %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return badRequest("The request body is not valid JSON.")
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("The request body must hold exactly one JSON object.")
	}
	return nil
}

// checkText refuses text with NUL or other control characters, lone
// surrogates (decoded to U+FFFD) or more than max runes.
func checkText(field, s string, max int) error {
	if utf8.RuneCountInString(s) > max {
		return badRequest("The %s is too long.", field)
	}
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return badRequest("The %s contains characters that are not allowed.", field)
		}
	}
	return nil
}

// cleanUsername validates a username from a request and trims it.
func cleanUsername(s string) (string, error) {
	if err := checkText("username", s, maxUsernameRunes); err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", badRequest("The username is empty.")
	}
	return s, nil
}

// maxUsernameRunes is the longest username accepted (the longest email address).
const maxUsernameRunes = 254

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	// No HTML escaping: links in dev mail bodies stay readable ("&", not "\u0026").
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// clientAddress is the address per-client limits are keyed on. Behind a
// trusted proxy it is the last X-Forwarded-For entry: the proxy appends the
// address it saw, while earlier entries are whatever the client claimed.
func clientAddress(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// hstsMaxAge is how long a browser that reached us over HTTPS keeps to
// HTTPS for this host (two years, the HSTS preload list's value).
const hstsMaxAge = "max-age=63072000"

// securityHeaders sets the headers every answer carries, and
// Strict-Transport-Security on answers over HTTPS the server terminated
// itself (RFC 6797 §7.2: never over plain HTTP). Behind a TLS-terminating
// proxy, the proxy sends it.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Frame-Options", "DENY")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", hstsMaxAge)
		}
		next.ServeHTTP(w, r)
	})
}

// refuseChunked answers 400 and closes the connection for a request body
// sent with Transfer-Encoding. net/http drops a Content-Length sent beside
// "Transfer-Encoding: chunked" and keeps the connection open, so a front
// proxy that framed the body by its Content-Length would have a request
// smuggled past it (RFC 9112 §6.3, §11.2); no client of ours sends chunked
// bodies (the app, the reset page and curl all send a Content-Length), so
// they are refused outright and the rest of the connection is never read.
func refuseChunked(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TransferEncoding) > 0 {
			w.Header().Set("Connection", "close")
			writeProblem(w, r, log, badRequest("Send the request body with a Content-Length: chunked transfer coding is not accepted."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a 500 problem and a log line, so one bad
// request cannot take the process down.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeProblem(w, r, log, newError(apierr.Internal, ""))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
