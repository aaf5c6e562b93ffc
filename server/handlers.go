package server

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"salesplus/api"
	"salesplus/apierr"
)

// limit refuses a request with 429 when its client address has used up the
// allowance of bucket.
func (s *Server) limit(bucket string, next http.Handler) http.Handler {
	r := addressRates[bucket]
	switch {
	case s.limits.AddressRequests < 0:
		r = rate{}
	case s.limits.AddressRequests > 0:
		r = rate{s.limits.AddressRequests, s.limits.AddressWindow}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ok, wait, err := s.limiter.take(req.Context(), bucket+"|"+limitKey(clientAddress(req, s.cfg.TrustProxy)), r)
		if err != nil {
			writeProblem(w, req, s.log, err)
			return
		}
		if !ok {
			if bucket == "web" {
				s.renderResetPage(w, req, http.StatusTooManyRequests, resetPageData{
					Error: "Too many attempts from your network. Please wait a minute and try again.",
				}, wait)
				return
			}
			writeProblem(w, req, s.log, tooMany(apierr.RateLimited, wait))
			return
		}
		next.ServeHTTP(w, req)
	})
}

type usernameBody struct {
	Username string `json:"username"`
}

// jsonHandler decodes the request body into In and answers with what serve
// returns: a problem for an error, else status with out as JSON (no body
// when out is nil).
func jsonHandler[In any](s *Server, serve func(r *http.Request, in In) (status int, out any, err error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in In
		if err := decodeJSON(r, &in); err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		status, out, err := serve(r, in)
		if err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		if out == nil {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, out)
	})
}

func handleLookup(s *Server) http.Handler {
	type response struct {
		Username            string `json:"username"`
		Email               string `json:"email"`
		CodeLifetimeSeconds int    `json:"codeLifetimeSeconds"`
	}
	return jsonHandler(s, func(r *http.Request, in usernameBody) (int, any, error) {
		a, err := s.lookup(r.Context(), in.Username)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, response{Username: a.Username, Email: a.Email, CodeLifetimeSeconds: int(s.cfg.CodeLifetime / time.Second)}, nil
	})
}

func handleResetRequest(s *Server) http.Handler {
	type response struct {
		SentTo             string    `json:"sentTo"`
		ExpiresAt          time.Time `json:"expiresAt"`
		ResendAfterSeconds int       `json:"resendAfterSeconds"`
	}
	return jsonHandler(s, func(r *http.Request, in usernameBody) (int, any, error) {
		reply, err := s.requestReset(r.Context(), in.Username, r.Header.Get("Idempotency-Key"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusAccepted, response{
			SentTo:             reply.SentTo,
			ExpiresAt:          reply.ExpiresAt.UTC().Truncate(time.Second),
			ResendAfterSeconds: int(reply.ResendAfter / time.Second),
		}, nil
	})
}

func handleResetConfirm(s *Server) http.Handler {
	type request struct {
		Username    string `json:"username"`
		Code        string `json:"code"`
		LinkToken   string `json:"linkToken"`
		NewPassword string `json:"newPassword"`
	}
	return jsonHandler(s, func(r *http.Request, in request) (int, any, error) {
		return http.StatusNoContent, nil, s.confirmReset(r.Context(), in.Username, in.Code, in.LinkToken, in.NewPassword)
	})
}

func handleLogin(s *Server) http.Handler {
	type request struct {
		Username   string `json:"username"`
		Password   string `json:"password"`
		DeviceName string `json:"deviceName"`
	}
	type response struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expiresAt"`
	}
	return jsonHandler(s, func(r *http.Request, in request) (int, any, error) {
		token, expires, err := s.login(r.Context(), in.Username, in.Password, in.DeviceName, clientAddress(r, s.cfg.TrustProxy))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, response{Token: token, ExpiresAt: expires.UTC().Truncate(time.Second)}, nil
	})
}

func handleLogout(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.logout(r.Context(), bearerToken(r)); err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

func handleSyncStatus(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := s.authenticate(r.Context(), bearerToken(r))
		if err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		rows, err := s.db.QueryContext(r.Context(), `SELECT name, title, count, version, updated_at FROM datasets
			ORDER BY CASE name WHEN 'customers' THEN 1 WHEN 'products' THEN 2 WHEN 'price-list' THEN 3 ELSE 4 END, name`)
		if err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		defer rows.Close()
		out := api.SyncStatus{
			Account:    api.AccountInfo{Username: a.Username, Email: a.Email, DisplayName: a.DisplayName, Company: a.Company},
			ServerTime: s.now().UTC().Truncate(time.Second),
			Datasets:   []api.DatasetInfo{},
		}
		for rows.Next() {
			var d api.DatasetInfo
			var at int64
			if err := rows.Scan(&d.Name, &d.Title, &d.Records, &d.Version, &at); err != nil {
				writeProblem(w, r, s.log, err)
				return
			}
			d.UpdatedAt = fromMillis(at)
			out.Datasets = append(out.Datasets, d)
		}
		if err := rows.Err(); err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func handleDataset(s *Server) http.Handler {
	type response struct {
		Name      string          `json:"name"`
		Version   int64           `json:"version"`
		UpdatedAt time.Time       `json:"updatedAt"`
		Records   json.RawMessage `json:"records"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.authenticate(r.Context(), bearerToken(r)); err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		var out response
		var at int64
		var records string
		err := s.db.QueryRowContext(r.Context(), `SELECT name, version, updated_at, records FROM datasets WHERE name = ?`,
			r.PathValue("name")).Scan(&out.Name, &out.Version, &at, &records)
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				writeProblem(w, r, s.log, newError(apierr.NotFound, "There is no dataset with that name."))
				return
			}
			writeProblem(w, r, s.log, err)
			return
		}
		out.UpdatedAt = fromMillis(at)
		out.Records = json.RawMessage(records)
		writeJSON(w, http.StatusOK, out)
	})
}

func handleHealth(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.db.PingContext(r.Context()); err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

func handleDevMailbox(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mails, err := s.Mailbox(r.Context())
		if err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		writeJSON(w, http.StatusOK, mails)
	})
}

// handleMethodNotAllowed answers 405 with allow, the path's methods.
func handleMethodNotAllowed(s *Server, allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeProblem(w, r, s.log, newError(apierr.MethodNotAllowed, ""))
	})
}

func handleNotFound(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, s.log, newError(apierr.NotFound, ""))
	})
}

// statusRecorder remembers the status a handler wrote, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// logRequests writes one access-log line per request: method, path (never
// the query or fragment), status, duration, client address. Bodies and
// headers, which carry codes, passwords and tokens, are never logged.
func logRequests(log *slog.Logger, trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "http",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)), slog.String("client", clientAddress(r, trustProxy)))
	})
}
