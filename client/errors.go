package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-resty/resty/v2"

	"salesplus/apierr"
	"salesplus/strength"
)

// problem is the wire form of an error answer.
type problem struct {
	Type              string        `json:"type"`
	Title             string        `json:"title"`
	Status            int           `json:"status"`
	Detail            string        `json:"detail"`
	Code              apierr.Code   `json:"code"`
	AttemptsLeft      *int          `json:"attemptsLeft"`
	Reason            apierr.Reason `json:"reason"`
	RetryAfterSeconds *int          `json:"retryAfterSeconds"`
	Score             *int          `json:"score"`
	Level             string        `json:"level"`
	Warning           string        `json:"warning"`
	Suggestions       []string      `json:"suggestions"`
	LastCodeUsable    *bool         `json:"lastCodeUsable"`
	LastCodeExpiresAt time.Time     `json:"lastCodeExpiresAt"`
}

// parseProblem turns a non-2xx answer into an *apierr.Problem, or into ErrServer
// when the body is not a problem document (an HTML page from a proxy, a
// truncated body...).
func parseProblem(resp *http.Response, body []byte) error {
	status := resp.StatusCode
	retryAfter := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	var p problem
	if err := json.Unmarshal(body, &p); err != nil || p.Code == "" {
		if status == http.StatusTooManyRequests {
			// A proxy or load balancer limiting us speaks no problem JSON,
			// but means the same thing.
			return &apierr.Problem{
				Status: status, Code: apierr.RateLimited, Title: http.StatusText(status),
				AttemptsLeft: -1, RetryAfter: retryAfter,
			}
		}
		if err == nil {
			err = errors.New("no problem code")
		}
		return serverError(fmt.Sprintf("the server answered %d %s (%s)",
			status, http.StatusText(status), describeBody(resp, body)), err)
	}
	e := &apierr.Problem{
		Status: status, Code: p.Code, Reason: p.Reason, Title: p.Title, Detail: p.Detail,
		AttemptsLeft: -1, RetryAfter: retryAfter,
	}
	if p.AttemptsLeft != nil {
		e.AttemptsLeft = *p.AttemptsLeft
	}
	if p.LastCodeUsable != nil {
		e.LastCodeGone = !*p.LastCodeUsable
		if *p.LastCodeUsable {
			e.LastCodeExpiresAt = p.LastCodeExpiresAt
		}
	}
	if p.RetryAfterSeconds != nil && *p.RetryAfterSeconds > 0 {
		e.RetryAfter = time.Duration(*p.RetryAfterSeconds) * time.Second
	}
	if p.Code == apierr.PasswordTooWeak {
		r := strength.Result{Warning: p.Warning, Suggestions: p.Suggestions}
		if p.Score != nil {
			r.Score = *p.Score
		}
		r.Level = parseLevel(p.Level, r.Score)
		e.Strength = &r
	}
	return e
}

func parseLevel(name string, score int) strength.Level {
	for l := strength.Poor; l <= strength.Excellent; l++ {
		if strings.EqualFold(l.String(), name) {
			return l
		}
	}
	return strength.Level(min(max(score, 0), 4))
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}

// describeBody names what came back instead of JSON, without echoing much of
// it (it could be anything).
func describeBody(resp *http.Response, body []byte) string {
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case len(body) == 0:
		return "empty body"
	case mt != "" && mt != "application/json" && mt != "application/problem+json":
		return fmt.Sprintf("%s instead of JSON, %d bytes", mt, len(body))
	case !json.Valid(body):
		return fmt.Sprintf("invalid or truncated JSON, %d bytes", len(body))
	default:
		return fmt.Sprintf("unexpected JSON, %d bytes", len(body))
	}
}

// callError is a failure outside the API's vocabulary: the server could not
// be reached, or it failed. kind is apierr.ErrUnreachable or apierr.ErrServer;
// also is a second sentinel it matches (apierr.ErrTimeout, apierr.ErrUntrusted,
// apierr.ErrRefused).
type callError struct {
	kind   error
	also   error
	reason string
	err    error
}

func (e *callError) Error() string {
	msg := "salesplus client: " + e.reason
	if e.err != nil {
		msg += ": " + e.err.Error()
	}
	return msg
}

func (e *callError) Unwrap() error { return e.err }

func (e *callError) Is(target error) bool {
	return target == e.kind || (e.also != nil && target == e.also)
}

func serverError(reason string, err error) error {
	return &callError{kind: apierr.ErrServer, reason: reason, err: err}
}

// transportError sorts an error from resty (net/http underneath) into
// "cannot reach" or "server failed". resp is non-nil with a RawResponse when
// the headers arrived and the body then failed.
func transportError(ctx context.Context, resp *resty.Response, err error) error {
	var (
		certErr   *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		recordErr tls.RecordHeaderError
		alertErr  tls.AlertError
		dnsErr    *net.DNSError
		opErr     *net.OpError
		netErr    net.Error
	)
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() == context.Canceled:
		// The caller gave up (a screen closed); not a failure to show.
		return fmt.Errorf("salesplus client: %w", context.Canceled)
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return &callError{kind: apierr.ErrUnreachable, also: apierr.ErrTimeout, reason: "no answer before the deadline", err: err}
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid):
		return &callError{kind: apierr.ErrUnreachable, also: apierr.ErrUntrusted, reason: "the server's TLS certificate is not trusted", err: err}
	case errors.As(err, &recordErr), errors.As(err, &alertErr):
		return &callError{kind: apierr.ErrUnreachable, reason: "no secure connection to the server", err: err}
	case errors.Is(err, apierr.ErrInsecureURL):
		return &callError{kind: apierr.ErrServer, reason: "the server redirected to an insecure address", err: err}
	case errors.Is(err, resty.ErrResponseBodyTooLarge):
		return serverError("the answer is too large", err)
	case resp != nil && resp.RawResponse != nil:
		return serverError("the connection broke in the middle of the answer", err)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return serverError("the server closed the connection without an answer", err)
	case errors.Is(err, syscall.ECONNREFUSED):
		// The network got there and the machine answered: no server is
		// listening (down, restarting, wrong port). Not "offline".
		return &callError{kind: apierr.ErrUnreachable, also: apierr.ErrRefused, reason: "the server refused the connection", err: err}
	case errors.As(err, &dnsErr), errors.As(err, &opErr), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return &callError{kind: apierr.ErrUnreachable, reason: "cannot reach the server", err: err}
	default:
		// A malformed answer (not HTTP at all) and anything unforeseen.
		return serverError("the answer could not be read", err)
	}
}

// errStopRetrying ends resty's retry loop while keeping the last answer,
// which call then reports.
var errStopRetrying = errors.New("stop retrying")

// retryable reports whether repeating req cannot change anything twice: a
// GET, or a request carrying an Idempotency-Key.
func retryable(req *resty.Request) bool {
	return req.Method == http.MethodGet || req.Header.Get("Idempotency-Key") != ""
}

// shouldRetry is resty's retry condition: retryable requests, after a
// transport failure or an answer that says "later" (429, 5xx).
func (c *Client) shouldRetry(resp *resty.Response, err error) bool {
	if resp == nil || resp.Request == nil || !retryable(resp.Request) {
		return false
	}
	if resp.Request.Context().Err() != nil {
		return false
	}
	if err != nil {
		// Certificates and oversized answers do not get better by asking again.
		var certErr *tls.CertificateVerificationError
		var unknownCA x509.UnknownAuthorityError
		var hostErr x509.HostnameError
		return !errors.As(err, &certErr) && !errors.As(err, &unknownCA) && !errors.As(err, &hostErr) &&
			!errors.Is(err, resty.ErrResponseBodyTooLarge) && !errors.Is(err, apierr.ErrInsecureURL)
	}
	s := resp.StatusCode()
	return s == http.StatusTooManyRequests || s >= 500
}

// retryWait is resty's RetryAfter callback: how long to wait before the next
// attempt. It honours Retry-After up to maxRetryAfter, uses jittered
// exponential backoff otherwise, and stops (errStopRetrying) when the wait
// would not end before the call's deadline, so the caller gets the server's
// answer ("try again in 2 minutes") instead of a timeout.
func (c *Client) retryWait(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
	var wait time.Duration
	if resp.RawResponse != nil {
		if ra := parseRetryAfter(resp.RawResponse.Header.Get("Retry-After"), time.Now()); ra > 0 {
			if ra > c.maxRetryAfter {
				return 0, errStopRetrying
			}
			wait = ra
		}
	}
	if wait == 0 {
		wait = c.backoff(resp.Request.Attempt)
	}
	if dl, ok := resp.Request.Context().Deadline(); ok && time.Until(dl) <= wait {
		return 0, errStopRetrying
	}
	return wait, nil
}

// backoff returns the wait after the given attempt (1-based): base·2^(n-1),
// capped, with "equal jitter" so that many apps coming back online together
// do not hit the server in step.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.backoffBase
	for i := 1; i < attempt && d < c.backoffMax; i++ {
		d *= 2
	}
	d = min(d, c.backoffMax)
	half := d / 2
	if half <= 0 {
		return max(d, time.Nanosecond)
	}
	return half + time.Duration(mathrand.Int64N(int64(half)+1))
}
