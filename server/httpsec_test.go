package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Every 405 carries Allow with exactly the path's methods (RFC 9110
// §15.5.6), on every route the server serves.
func TestEveryMethodNotAllowedCarriesAllow(t *testing.T) {
	eachStore(t, testEveryMethodNotAllowedCarriesAllow)
}

func testEveryMethodNotAllowedCarriesAllow(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) {
		c.Dev = true // serves /dev/mailbox too
		c.Limits.AddressRequests = -1
	})
	want := map[string][]string{}
	for _, rt := range routes {
		want[rt.path] = append(want[rt.path], rt.method)
		if rt.method == "GET" {
			want[rt.path] = append(want[rt.path], "HEAD")
		}
	}
	for path, allowed := range want {
		target := strings.ReplaceAll(path, "{name}", "customers")
		for _, method := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			if slices.Contains(allowed, method) {
				continue
			}
			r := e.call(method, target, nil)
			if r.Status != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %d, want 405", method, target, r.Status)
				continue
			}
			got := strings.Split(r.Header.Get("Allow"), ", ")
			slices.Sort(got)
			slices.Sort(allowed)
			if !slices.Equal(got, allowed) {
				t.Errorf("%s %s: Allow %q, want %v", method, target, r.Header.Get("Allow"), allowed)
			}
		}
	}
}

// Strict-Transport-Security goes with answers over HTTPS the server
// terminates itself, never with plain HTTP (RFC 6797 §7.2).
// (cmd: TestServeHTTPS checks it on the real --tls-cert listener.)
func TestHSTSOnlyOverHTTPS(t *testing.T) { eachStore(t, testHSTSOnlyOverHTTPS) }

func testHSTSOnlyOverHTTPS(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	if r := e.call("GET", "/healthz", nil); r.Header.Get("Strict-Transport-Security") != "" {
		t.Errorf("HSTS over plain HTTP: %q", r.Header.Get("Strict-Transport-Security"))
	}
	tlsServer := httptest.NewTLSServer(e.srv)
	defer tlsServer.Close()
	for _, path := range []string{"/healthz", "/reset", "/no-such-page"} {
		res, err := tlsServer.Client().Get(tlsServer.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=63072000" {
			t.Errorf("HTTPS %s: Strict-Transport-Security %q", path, got)
		}
	}
}

// A request whose body is framed by Transfer-Encoding (with or without a
// Content-Length beside it) is refused with 400 and the connection is
// closed, so a request smuggled behind it in the same stream is never
// answered (RFC 9112 §6.3).
func TestChunkedRequestRefusedAndConnectionClosed(t *testing.T) {
	eachStore(t, testChunkedRequestRefusedAndConnectionClosed)
}

func testChunkedRequestRefusedAndConnectionClosed(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) { c.Limits.AddressRequests = -1 })
	smuggled := "GET /healthz HTTP/1.1\r\nHost: sales.example.com\r\n\r\n"
	body := `{"username":"alex.morgan@example.com"}`
	chunk := strconv.FormatInt(int64(len(body)), 16) + "\r\n" + body + "\r\n0\r\n\r\n"
	cases := map[string]string{
		"Content-Length and chunked": "POST /api/v1/password-reset/lookup HTTP/1.1\r\nHost: sales.example.com\r\n" +
			"Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + smuggled,
		"chunked alone": "POST /api/v1/password-reset/lookup HTTP/1.1\r\nHost: sales.example.com\r\n" +
			"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + smuggled,
		"web form, chunked": "POST /reset HTTP/1.1\r\nHost: sales.example.com\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\na=b\r\n0\r\n\r\n" + smuggled,
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", e.ts.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.WriteString(conn, raw); err != nil {
				t.Fatal(err)
			}
			rd := bufio.NewReader(conn)
			res, err := http.ReadResponse(rd, nil)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 400 || !res.Close {
				t.Errorf("first answer: %d, Connection: close %t; want 400 and close", res.StatusCode, res.Close)
			}
			// The server closes: EOF, not a second answer (nor a timeout).
			if second, err := http.ReadResponse(rd, nil); err == nil {
				t.Errorf("the smuggled request was answered: %d", second.StatusCode)
			} else if err != io.EOF && err != io.ErrUnexpectedEOF {
				t.Errorf("after the 400: %v, want the connection closed", err)
			}
		})
	}
	// A body with a Content-Length alone is served as before.
	if r := e.lookup(alex.Username); r.Status != 200 {
		t.Fatalf("lookup with a Content-Length: %d %s", r.Status, r.Raw)
	}
}
