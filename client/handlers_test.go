package client

// Tests against small hand-written handlers, for what the real server never
// does: hang, fail, answer garbage, drop the connection, present a bad
// certificate.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salesplus/apierr"
	"salesplus/internal/runtest"
)

// newFastClient is New with retry pacing shortened, so tests that exercise
// retries do not sit through real backoff.
func newFastClient(t *testing.T, baseURL string, opts ...Option) *Client {
	t.Helper()
	c, err := New(baseURL, opts...)
	if err != nil {
		t.Fatalf("New(%q): %v", baseURL, err)
	}
	c.backoffBase = 5 * time.Millisecond
	c.backoffMax = 20 * time.Millisecond
	return c
}

// counting wraps h and counts the requests that reach it.
type counting struct {
	n atomic.Int32
	h http.HandlerFunc
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h(w, r)
}

func serve(t *testing.T, h http.HandlerFunc) (*httptest.Server, *counting) {
	t.Helper()
	ch := &counting{h: h}
	srv := httptest.NewServer(ch)
	t.Cleanup(srv.Close)
	return srv, ch
}

func writeProblem(w http.ResponseWriter, status int, code apierr.Code, extra map[string]any) {
	p := map[string]any{
		"type":   "https://salesplus.example/problems/" + code,
		"title":  http.StatusText(status),
		"status": status,
		"code":   code,
	}
	for k, v := range extra {
		p[k] = v
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// wantServerError fails unless err says the server failed (not that it
// could not be reached) and mentions what.
func wantServerError(t *testing.T, err error, what string) {
	t.Helper()
	if !errors.Is(err, apierr.ErrServer) || errors.Is(err, apierr.ErrUnreachable) {
		t.Fatalf("err = %v, want apierr.ErrServer", err)
	}
	if !strings.Contains(err.Error(), what) {
		t.Errorf("err = %q, want it to mention %q", err, what)
	}
}

// hangingServer answers no request until the request is given up or the
// test ends.
func hangingServer(t *testing.T) (*httptest.Server, *counting) {
	release := make(chan struct{})
	srv, count := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // before srv.Close, which waits for handlers
	return srv, count
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

var okStatus = map[string]any{
	"account":    map[string]string{"username": "rep@example.com", "email": "rep@example.com", "displayName": "Rep", "company": "Acme"},
	"serverTime": "2026-01-02T03:04:05Z",
	"datasets":   []map[string]any{{"name": "customers", "title": "Customers", "records": 3, "version": 7, "updatedAt": "2026-01-01T00:00:00Z"}},
}

var okReset = map[string]any{"sentTo": "rep@example.com", "expiresAt": "2026-01-02T03:19:05Z", "resendAfterSeconds": 60}

// every call of the API, to run one scenario over all of them.
type apiCall struct {
	name       string
	idempotent bool // GET or carries an Idempotency-Key: may be retried
	do         func(ctx context.Context, c *Client) error
}

var apiCalls = []apiCall{
	{"Lookup", false, func(ctx context.Context, c *Client) error { _, err := c.Lookup(ctx, "rep@example.com"); return err }},
	{"RequestReset", true, func(ctx context.Context, c *Client) error {
		_, err := c.RequestReset(ctx, "rep@example.com")
		return err
	}},
	{"ConfirmReset", false, func(ctx context.Context, c *Client) error {
		return c.ConfirmReset(ctx, "rep@example.com", "123456", "a new passphrase that is long")
	}},
	{"Login", false, func(ctx context.Context, c *Client) error {
		_, err := c.Login(ctx, "rep@example.com", "pw", "test")
		return err
	}},
	{"Logout", false, func(ctx context.Context, c *Client) error { c.SetToken("tok"); return c.Logout(ctx) }},
	{"SyncStatus", true, func(ctx context.Context, c *Client) error { _, err := c.SyncStatus(ctx); return err }},
	{"Dataset", true, func(ctx context.Context, c *Client) error { _, err := c.Dataset(ctx, "customers"); return err }},
}

func TestSlowServerDeadlineCoversTheWholeCall(t *testing.T) {
	srv, count := hangingServer(t)
	const timeout = 300 * time.Millisecond
	for _, ac := range apiCalls {
		t.Run(ac.name, func(t *testing.T) {
			count.n.Store(0)
			c := newFastClient(t, srv.URL, WithTimeout(timeout))
			start := time.Now()
			err := ac.do(context.Background(), c)
			elapsed := time.Since(start)
			if !errors.Is(err, apierr.ErrUnreachable) {
				t.Fatalf("err = %v, want apierr.ErrUnreachable", err)
			}
			if !errors.Is(err, apierr.ErrTimeout) {
				t.Errorf("err = %v, want apierr.ErrTimeout", err)
			}
			// The deadline is for the whole call: no attempt may start after
			// it, so a hanging server costs one timeout, not one per retry.
			if elapsed > 10*timeout {
				t.Errorf("call took %v with a %v deadline", elapsed, timeout)
			}
			if n := count.n.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestCallerCancelIsNotAFailure(t *testing.T) {
	srv, _ := hangingServer(t)
	c := newFastClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := c.SyncStatus(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, apierr.ErrUnreachable) || errors.Is(err, apierr.ErrServer) {
		t.Fatalf("err = %v, want context.Canceled only", err)
	}
}

func TestOnlyIdempotentCallsAreRetried(t *testing.T) {
	srv, count := serve(t, func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusServiceUnavailable, apierr.Internal, nil)
	})
	for _, ac := range apiCalls {
		t.Run(ac.name, func(t *testing.T) {
			count.n.Store(0)
			c := newFastClient(t, srv.URL, WithRetries(2))
			err := ac.do(context.Background(), c)
			var apiErr *apierr.Problem
			if !errors.Is(err, apierr.ErrServer) || !errors.As(err, &apiErr) || apiErr.Status != 503 {
				t.Fatalf("err = %v, want a 503 *apierr.Problem matching apierr.ErrServer", err)
			}
			want := int32(1)
			if ac.idempotent {
				want = 3
			}
			if n := count.n.Load(); n != want {
				t.Errorf("%d requests, want %d", n, want)
			}
		})
	}
}

func TestGetRetriedAfter5xxThenSucceeds(t *testing.T) {
	var attempt atomic.Int32 // this handler's own count, so it can reset per phase
	srv, count := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch attempt.Add(1) {
		case 1:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html><body>Bad gateway</body></html>")
		case 2:
			writeProblem(w, http.StatusInternalServerError, apierr.Internal, nil)
		default:
			writeJSON(w, http.StatusOK, okStatus)
		}
	})
	c := newFastClient(t, srv.URL)
	st, err := c.SyncStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Account.Company != "Acme" || len(st.Datasets) != 1 || st.Datasets[0].Version != 7 {
		t.Errorf("status = %+v", st)
	}
	if n := count.n.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}

	// With no retries allowed, the first failure is the answer.
	count.n.Store(0)
	attempt.Store(0)
	c = newFastClient(t, srv.URL, WithRetries(0))
	if _, err := c.SyncStatus(context.Background()); !errors.Is(err, apierr.ErrServer) {
		t.Errorf("err = %v, want apierr.ErrServer", err)
	}
	if n := count.n.Load(); n != 1 {
		t.Errorf("%d requests with WithRetries(0), want 1", n)
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestRequestResetRetriesWithOneIdempotencyKey(t *testing.T) {
	var (
		mu   sync.Mutex
		keys []string
	)
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		n := len(keys)
		mu.Unlock()
		if n%3 != 0 { // two failures, then the answer
			if n%3 == 1 {
				hijackAndClose(t, w, r, "")
				return
			}
			writeProblem(w, http.StatusServiceUnavailable, apierr.Internal, nil)
			return
		}
		writeJSON(w, http.StatusAccepted, okReset)
	})
	c := newFastClient(t, srv.URL)
	for call := range 2 {
		rr, err := c.RequestReset(context.Background(), "rep@example.com")
		if err != nil {
			t.Fatalf("call %d: %v", call, err)
		}
		if rr.SentTo != "rep@example.com" || rr.ResendAfter != time.Minute || rr.ExpiresAt.IsZero() {
			t.Errorf("call %d: %+v", call, rr)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(keys) != 6 {
		t.Fatalf("%d requests, want 6: %q", len(keys), keys)
	}
	for i, k := range keys {
		if !uuidV4.MatchString(k) {
			t.Errorf("request %d: Idempotency-Key %q is not a UUIDv4", i, k)
		}
	}
	if keys[0] != keys[1] || keys[1] != keys[2] || keys[3] != keys[4] || keys[4] != keys[5] {
		t.Errorf("retries of one call must reuse its key: %q", keys)
	}
	if keys[0] == keys[3] {
		t.Errorf("two calls share the key %q", keys[0])
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	var (
		mu       sync.Mutex
		arrivals []time.Time
	)
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		first := len(arrivals) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			writeProblem(w, http.StatusTooManyRequests, apierr.RateLimited, map[string]any{"retryAfterSeconds": 1})
			return
		}
		writeJSON(w, http.StatusOK, okStatus)
	})
	c := newFastClient(t, srv.URL)
	if _, err := c.SyncStatus(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(arrivals) != 2 {
		t.Fatalf("%d requests, want 2", len(arrivals))
	}
	// A lower bound only: the retry must not come before the server allowed.
	if gap := arrivals[1].Sub(arrivals[0]); gap < time.Second {
		t.Errorf("retried after %v, Retry-After said 1s", gap)
	}
}

func TestRetryAfterBeyondCapOrDeadlineIsReported(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter string
		timeout    time.Duration
		want       time.Duration
	}{
		{"beyond the cap", "120", DefaultTimeout, 2 * time.Minute},
		{"beyond the deadline", "3", 2 * time.Second, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, count := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tc.retryAfter)
				writeProblem(w, http.StatusTooManyRequests, apierr.RateLimited, nil)
			})
			c := newFastClient(t, srv.URL, WithTimeout(tc.timeout))
			_, err := c.SyncStatus(context.Background())
			var apiErr *apierr.Problem
			if !errors.As(err, &apiErr) || !errors.Is(err, apierr.RateLimited) {
				t.Fatalf("err = %v, want a rate_limited *apierr.Problem (not a timeout)", err)
			}
			if n := count.n.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			if apiErr.RetryAfter != tc.want {
				t.Errorf("RetryAfter = %v, want %v", apiErr.RetryAfter, tc.want)
			}
		})
	}
}

func TestGarbageAnswersAreServerErrors(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		wantInError             string
	}{
		{"HTML page with 200", "text/html; charset=utf-8", "<!doctype html><p>Welcome to nginx</p>", 200, "text/html instead of JSON"},
		{"truncated JSON", "application/json", `{"account": {"username": "rep@exa`, 200, "truncated JSON"},
		{"empty 200", "application/json", "", 200, "empty body"},
		{"JSON null", "application/json", "null", 200, "has no account"},
		{"JSON of the wrong shape", "application/json", `[1,2,3]`, 200, "not the expected JSON"},
		{"binary", "application/octet-stream", "\x00\xff\xfe garbage", 200, "application/octet-stream"},
		{"HTML 502 from a proxy", "text/html", "<html>502 Bad Gateway</html>", 502, "502 Bad Gateway"},
		{"HTML 404", "text/html", "<html>Not Found</html>", 404, "404 Not Found"},
		{"problem JSON without a code", "application/problem+json", `{"title":"x","status":400}`, 400, "no problem code"},
		{"truncated problem JSON", "application/problem+json", `{"code":"code_inv`, 400, "truncated JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			c := newFastClient(t, srv.URL, WithRetries(0))
			_, err := c.SyncStatus(context.Background())
			wantServerError(t, err, tc.wantInError)
		})
	}
}

// hijackAndClose takes over the connection, writes raw (a partial HTTP
// answer, possibly empty) and closes it.
func hijackAndClose(t *testing.T, w http.ResponseWriter, r *http.Request, raw string) {
	// Read the request first: closing with unread data would send a reset
	// instead of a clean close.
	_, _ = io.Copy(io.Discard, r.Body)
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
	_ = conn.Close()
}

func TestConnectionClosedMidResponse(t *testing.T) {
	for _, tc := range []struct{ name, raw, wantInError string }{
		{
			"in the body", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"account\": {\"usern",
			"connection broke in the middle of the answer",
		},
		{"in the headers", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", "closed the connection without an answer"},
		{"in a header line", "HTTP/1.1 200 OK\r\nContent-Ty", "the answer could not be read"},
		{"not HTTP at all", "SSH-2.0-OpenSSH_9.6\r\n", "the answer could not be read"},
		{"before anything", "", "closed the connection without an answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, count := serve(t, func(w http.ResponseWriter, r *http.Request) {
				hijackAndClose(t, w, r, tc.raw)
			})
			c := newFastClient(t, srv.URL, WithRetries(1))
			_, err := c.SyncStatus(context.Background())
			wantServerError(t, err, tc.wantInError)
			if n := count.n.Load(); n != 2 {
				t.Errorf("GET: %d requests, want 2 (retried once)", n)
			}

			count.n.Store(0)
			err = c.ConfirmReset(context.Background(), "rep@example.com", "123456", "long enough passphrase")
			if !errors.Is(err, apierr.ErrServer) {
				t.Fatalf("POST: err = %v, want apierr.ErrServer", err)
			}
			if n := count.n.Load(); n != 1 {
				t.Errorf("POST: %d requests, want 1 (never retried)", n)
			}
		})
	}
}

func TestUntrustedCertificateIsRefused(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	var count atomic.Int32
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		writeJSON(w, http.StatusOK, map[string]string{"username": "rep@example.com", "email": "rep@example.com"})
	})
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)

	c := newFastClient(t, srv.URL) // the system roots do not know httptest's certificate
	_, err := c.Lookup(context.Background(), "rep@example.com")
	if !errors.Is(err, apierr.ErrUnreachable) || !errors.Is(err, apierr.ErrUntrusted) {
		t.Fatalf("err = %v, want apierr.ErrUnreachable and apierr.ErrUntrusted", err)
	}
	if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("err = %q does not say what is wrong", err)
	}
	if _, err := c.SyncStatus(context.Background()); !errors.Is(err, apierr.ErrUntrusted) {
		t.Errorf("GET: err = %v", err)
	}
	if n := count.Load(); n != 0 {
		t.Errorf("%d requests reached the handler through an untrusted connection", n)
	}

	// The same server with its certificate trusted works.
	c = newFastClient(t, srv.URL, WithHTTPClient(srv.Client()))
	if a, err := c.Lookup(context.Background(), "rep@example.com"); err != nil || a.Email != "rep@example.com" {
		t.Fatalf("trusted: %+v, %v", a, err)
	}
}

func TestRedirectToPlainHTTPIsRefused(t *testing.T) {
	plain, plainCount := serve(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, okStatus)
	})
	// A non-loopback name for the plain server: the redirect must be refused
	// before anything is sent there.
	target := strings.Replace(plain.URL, "127.0.0.1", "sales.example.com", 1) + "/api/v1/sync/status"
	srv := httptest.NewTLSServer(http.RedirectHandler(target, http.StatusFound))
	t.Cleanup(srv.Close)
	c := newFastClient(t, srv.URL, WithHTTPClient(srv.Client()), WithRetries(0))
	_, err := c.SyncStatus(context.Background())
	if !errors.Is(err, apierr.ErrInsecureURL) {
		t.Fatalf("err = %v, want apierr.ErrInsecureURL", err)
	}
	if plainCount.n.Load() != 0 {
		t.Error("the request went to the plain http server")
	}
}

func TestNewChecksTheAddress(t *testing.T) {
	for want, urls := range map[error][]string{
		nil: { // accepted
			"https://sales.example.com", "https://sales.example.com/salesplus/", "http://127.0.0.1:8080",
			"http://127.9.8.7", "http://[::1]:8080", "http://localhost:8080", "http://LocalHost",
		},
		apierr.ErrInsecureURL: {
			"http://sales.example.com", "http://10.0.0.5:8080", "http://192.168.1.2",
			"http://localhost.example.com", "http://127.0.0.1.nip.io", "http://[::ffff:10.0.0.1]",
		},
		apierr.ErrInvalidURL: {
			"", "sales.example.com", "ftp://sales.example.com", "https://", "https://user:pw@sales.example.com",
			"https://sales.example.com/?x=1", "https://sales.example.com/%zz",
		},
	} {
		for _, url := range urls {
			c, err := New(url)
			if want == nil && (err != nil || c == nil) {
				t.Errorf("New(%q): %v", url, err)
			}
			if want != nil && (!errors.Is(err, want) || c != nil) {
				t.Errorf("New(%q) = %v, %v; want %v", url, c, err, want)
			}
		}
	}
}

func TestConnectionRefusedIsUnreachable(t *testing.T) {
	addr := runtest.FreeAddr(t) // nothing listens there now
	c := newFastClient(t, "http://"+addr)
	for _, ac := range apiCalls {
		err := ac.do(context.Background(), c)
		if !errors.Is(err, apierr.ErrUnreachable) || errors.Is(err, apierr.ErrServer) {
			t.Errorf("%s: err = %v, want apierr.ErrUnreachable", ac.name, err)
		}
		if errors.Is(err, apierr.ErrTimeout) || errors.Is(err, apierr.ErrUntrusted) {
			t.Errorf("%s: err = %v, want a plain refusal", ac.name, err)
		}
		if !errors.Is(err, apierr.ErrRefused) {
			t.Errorf("%s: err = %v, want apierr.ErrRefused (the server is not answering; the device is online)", ac.name, err)
		}
	}
}

func TestUnknownHostIsUnreachable(t *testing.T) {
	if testing.Short() {
		t.Skip("resolver timing depends on the machine")
	}
	// .invalid never resolves (RFC 6761); without DNS at all the deadline
	// ends the call, which is unreachable too.
	c := newFastClient(t, "https://sales.invalid", WithTimeout(5*time.Second), WithRetries(0))
	_, err := c.Lookup(context.Background(), "rep@example.com")
	if !errors.Is(err, apierr.ErrUnreachable) {
		t.Fatalf("err = %v, want apierr.ErrUnreachable", err)
	}
}

func TestRequestsCarryHeadersAndExactBodies(t *testing.T) {
	type seen struct {
		method, path, ua, auth, contentType string
		body                                map[string]any
	}
	var (
		mu   sync.Mutex
		last seen
	)
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		s := seen{
			method: r.Method, path: r.URL.Path, ua: r.UserAgent(),
			auth: r.Header.Get("Authorization"), contentType: r.Header.Get("Content-Type"),
		}
		if r.ContentLength != 0 {
			if err := json.NewDecoder(r.Body).Decode(&s.body); err != nil {
				t.Errorf("request body: %v", err)
			}
		}
		mu.Lock()
		last = s
		mu.Unlock()
		switch r.URL.Path {
		case "/base/api/v1/password-reset/lookup":
			writeJSON(w, 200, map[string]string{"username": "Rep@Example.com", "email": "rep@example.com"})
		case "/base/api/v1/password-reset/request":
			writeJSON(w, 202, okReset)
		case "/base/api/v1/sessions":
			writeJSON(w, 201, map[string]string{"token": "tok-new", "expiresAt": "2026-02-01T00:00:00Z"})
		case "/base/api/v1/sync/status":
			writeJSON(w, 200, okStatus)
		case "/base/api/v1/sync/datasets/price-list":
			writeJSON(w, 200, map[string]any{
				"name": "price-list", "version": 3, "updatedAt": "2026-01-01T00:00:00Z",
				"records": []map[string]any{{"sku": "A1", "price": 9.5}, {"sku": "B2", "price": 3}},
			})
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	check := func(t *testing.T, method, path, auth string, body map[string]any) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if last.method != method || last.path != "/base/api/v1"+path {
			t.Errorf("request = %s %s, want %s %s", last.method, last.path, method, path)
		}
		if last.auth != auth {
			t.Errorf("Authorization = %q, want %q", last.auth, auth)
		}
		if body != nil && last.contentType != "application/json" {
			t.Errorf("Content-Type = %q", last.contentType)
		}
		gotBody, _ := json.Marshal(last.body)
		wantBody, _ := json.Marshal(body)
		if string(gotBody) != string(wantBody) {
			t.Errorf("body = %s, want %s", gotBody, wantBody)
		}
		if want := "SalesPlus/1.4.2 (" + runtime.GOOS + ")"; last.ua != want {
			t.Errorf("User-Agent = %q, want %q", last.ua, want)
		}
	}

	ctx := context.Background()
	c := newFastClient(t, srv.URL+"/base/", WithVersion("1.4.2"))
	a, err := c.Lookup(ctx, "rep@example.com")
	if err != nil || a.Username != "Rep@Example.com" {
		t.Fatalf("Lookup = %+v, %v", a, err)
	}
	check(t, "POST", "/password-reset/lookup", "", map[string]any{"username": "rep@example.com"})

	if _, err := c.RequestReset(ctx, "rep@example.com"); err != nil {
		t.Fatal(err)
	}
	check(t, "POST", "/password-reset/request", "", map[string]any{"username": "rep@example.com"})

	if err := c.ConfirmReset(ctx, "rep@example.com", "012345", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	check(t, "POST", "/password-reset/confirm", "",
		map[string]any{"username": "rep@example.com", "code": "012345", "newPassword": "correct horse battery"})

	s, err := c.Login(ctx, "rep@example.com", "correct horse battery", "Pixel 9")
	if err != nil || s.Token != "tok-new" || c.Token() != "tok-new" || s.ExpiresAt.Month() != time.February {
		t.Fatalf("Login = %+v, %v; Token() = %q", s, err, c.Token())
	}
	check(t, "POST", "/sessions", "",
		map[string]any{"username": "rep@example.com", "password": "correct horse battery", "deviceName": "Pixel 9"})

	if _, err := c.SyncStatus(ctx); err != nil {
		t.Fatal(err)
	}
	check(t, "GET", "/sync/status", "Bearer tok-new", nil)

	d, err := c.Dataset(ctx, "price-list")
	if err != nil || d.Version != 3 || len(d.Records) != 2 || !strings.Contains(string(d.Records[0]), `"A1"`) {
		t.Fatalf("Dataset = %+v, %v", d, err)
	}
	check(t, "GET", "/sync/datasets/price-list", "Bearer tok-new", nil)

	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	check(t, "DELETE", "/sessions/current", "Bearer tok-new", nil)
	if c.Token() != "" {
		t.Errorf("token kept after Logout: %q", c.Token())
	}

	// The User-Agent can be replaced whole.
	c = newFastClient(t, srv.URL+"/base", WithUserAgent("Probe/1"), WithToken("tok-old"))
	if _, err := c.SyncStatus(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if last.ua != "Probe/1" || last.auth != "Bearer tok-old" {
		t.Errorf("User-Agent %q, Authorization %q", last.ua, last.auth)
	}
	mu.Unlock()
}

func TestSessionExpiredForgetsTheToken(t *testing.T) {
	srv, count := serve(t, func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusUnauthorized, apierr.SessionExpired, nil)
	})
	c := newFastClient(t, srv.URL, WithToken("stale"))
	_, err := c.SyncStatus(context.Background())
	if !errors.Is(err, apierr.SessionExpired) {
		t.Fatalf("err = %v", err)
	}
	if c.Token() != "" {
		t.Errorf("token %q kept after session_expired", c.Token())
	}
	if n := count.n.Load(); n != 1 {
		t.Errorf("%d requests; a 401 must not be retried", n)
	}

	// Logging out of a session the server already ended is a success.
	c.SetToken("stale")
	if err := c.Logout(context.Background()); err != nil || c.Token() != "" {
		t.Errorf("Logout = %v, token %q", err, c.Token())
	}
	// Without a token there is nothing to tell the server.
	count.n.Store(0)
	if err := c.Logout(context.Background()); err != nil || count.n.Load() != 0 {
		t.Errorf("Logout without a token = %v after %d requests", err, count.n.Load())
	}
}

func TestLogoutOfflineStillForgetsTheToken(t *testing.T) {
	addr := runtest.FreeAddr(t)
	c := newFastClient(t, "http://"+addr, WithToken("tok"))
	if err := c.Logout(context.Background()); !errors.Is(err, apierr.ErrUnreachable) {
		t.Errorf("err = %v, want apierr.ErrUnreachable", err)
	}
	if c.Token() != "" {
		t.Errorf("token kept: %q", c.Token())
	}
}

func TestProblemDetailsAreDecoded(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch body["code"] {
		case "111111":
			writeProblem(w, 400, apierr.CodeInvalid, map[string]any{"attemptsLeft": 3, "detail": "That code is not right."})
		case "222222":
			writeProblem(w, 422, apierr.PasswordTooWeak, map[string]any{
				"score": 1, "level": "Weak", "warning": "This is similar to a commonly used password",
				"suggestions": []string{"Add another word or two. Uncommon words are better."},
			})
		case "333333":
			writeProblem(w, 410, apierr.CodeExpired, map[string]any{"reason": "superseded"})
		default:
			w.Header().Set("Retry-After", "300")
			writeProblem(w, 429, apierr.ResetLocked, map[string]any{"retryAfterSeconds": 86400})
		}
	})
	c := newFastClient(t, srv.URL)
	ctx := context.Background()

	err := c.ConfirmReset(ctx, "u@example.com", "111111", "whatever pass")
	var apiErr *apierr.Problem
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Code != apierr.CodeInvalid || apiErr.AttemptsLeft != 3 ||
		apiErr.Detail != "That code is not right." || !errors.Is(err, apierr.CodeInvalid) {
		t.Fatalf("err = %#v", err)
	}

	err = c.ConfirmReset(ctx, "u@example.com", "222222", "password1")
	if !errors.As(err, &apiErr) || apiErr.Strength == nil || apiErr.Strength.Score != 1 ||
		apiErr.Strength.Level.String() != "Weak" || len(apiErr.Strength.Suggestions) != 1 || apiErr.AttemptsLeft != -1 {
		t.Fatalf("err = %#v", err)
	}
	if got, want := apiErr.Strength.Warning, "This is similar to a commonly used password"; got != want {
		t.Errorf("Warning = %q, want %q", got, want)
	}

	err = c.ConfirmReset(ctx, "u@example.com", "333333", "whatever pass")
	if !errors.As(err, &apiErr) || !errors.Is(err, apierr.CodeExpired) || apiErr.Reason != apierr.Superseded {
		t.Fatalf("superseded code: err = %#v", err)
	}

	err = c.ConfirmReset(ctx, "u@example.com", "444444", "whatever pass")
	if !errors.As(err, &apiErr) || !errors.Is(err, apierr.ResetLocked) || !errors.Is(err, apierr.RateLimited) ||
		apiErr.RetryAfter != 24*time.Hour {
		t.Fatalf("err = %#v", err)
	}
}

// TestNothingIsWrittenToStderr: resty's logger (and its debug dump, which
// would print bodies with passwords, codes and tokens) stays silent, also on
// failures and retries.
func TestNothingIsWrittenToStderr(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w // resty's default logger would pick this up in New
	restore := func() { os.Stderr = saved }
	defer restore()
	out := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		out <- string(b)
	}()

	var calls atomic.Int32
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1)%2 == 1 {
			hijackAndClose(t, w, r, "")
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"token": "tok-secret-123", "expiresAt": "2026-02-01T00:00:00Z"})
	})
	c := newFastClient(t, srv.URL)
	_, _ = c.Login(context.Background(), "rep@example.com", "hunter2-password", "test")       // fails, not retried
	_, _ = c.Login(context.Background(), "rep@example.com", "hunter2-password", "test")       // succeeds
	_, _ = c.RequestReset(context.Background(), "rep@example.com")                            // fails, retried
	_ = c.ConfirmReset(context.Background(), "rep@example.com", "123456", "hunter2-password") // fails

	restore()
	_ = w.Close()
	if got := <-out; got != "" {
		t.Errorf("the client wrote to stderr:\n%s", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			writeJSON(w, http.StatusCreated, map[string]string{"token": "tok-" + r.Header.Get("X-N"), "expiresAt": "2026-02-01T00:00:00Z"})
			return
		}
		writeJSON(w, http.StatusOK, okStatus)
	})
	c := newFastClient(t, srv.URL)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 5 {
				if i%2 == 0 {
					if _, err := c.Login(context.Background(), "rep@example.com", "pw", "test"); err != nil {
						t.Error(err)
					}
				} else if _, err := c.SyncStatus(context.Background()); err != nil {
					t.Error(err)
				}
				c.SetToken(c.Token())
			}
		})
	}
	wg.Wait()
}
