package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"salesplus/internal/runtest"
	"salesplus/server"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestSeedPrintsDemoCredentials(t *testing.T) {
	db := filepath.Join(t.TempDir(), "seed.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"salesplus-server", "seed", "--db", db}, envFrom(nil), &out); err != nil {
		t.Fatal(err)
	}
	for _, a := range server.DemoAccounts {
		if !strings.Contains(out.String(), a.Username) || !strings.Contains(out.String(), a.Password) {
			t.Errorf("seed output lacks %s and its password:\n%s", a.Username, out.String())
		}
	}
	// Idempotent.
	if err := run(context.Background(), []string{"salesplus-server", "seed"}, envFrom(map[string]string{"SALESPLUS_DB": db}), io.Discard); err != nil {
		t.Fatalf("second seed: %v", err)
	}
}

// Help is asked for, not an error: the usage goes to stdout and run
// returns nil, so the process exits 0.
func TestHelpIsNoError(t *testing.T) {
	for _, args := range [][]string{{"x", "--help"}, {"x", "-h"}, {"x", "seed", "--help"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, envFrom(nil), &out); err != nil {
			t.Errorf("%v: %v", args, err)
		}
		if !strings.Contains(out.String(), "-public-url") || !strings.Contains(out.String(), "-code-lifetime") {
			t.Errorf("%v printed no usage:\n%s", args, out.String())
		}
	}
}

func TestBadConfiguration(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"x", "--db", db}, nil, "no SMTP relay"},
		{[]string{"x", "--dev", "--db", db, "--code-lifetime", "soon"}, nil, "code lifetime"},
		{[]string{"x", "--dev", "--db", db}, map[string]string{"SALESPLUS_CODE_LIFETIME": "48h"}, "longer than 24 h"},
		{[]string{"x", "--dev", "--db", db, "--tls-cert", "c.pem"}, nil, "--tls-key"},
		{[]string{"x", "--dev", "--db", db}, map[string]string{"SALESPLUS_SMTP_PORT": "http"}, "not a port"},
		{[]string{"x", "frobnicate", "--db", db}, nil, "unknown command"},
		{[]string{"x", "--dev", "--db", db, "--public-url", "ftp://x"}, nil, "PublicURL"},
		{[]string{"x", "--no-such-flag"}, nil, "flag provided but not defined"},
		{[]string{"x", "--db", db, "--smtp-host", "mail.example.com", "--smtp-tls", "sometimes"}, nil, "SMTP TLS mode"},
		{[]string{"x", "--dev", "--db", db, "--addr", ":8080"}, nil, "give --public-url"},
		{[]string{"x", "--dev", "--db", db}, map[string]string{"SALESPLUS_ADDR": "0.0.0.0:8080"}, "give --public-url"},
		{[]string{"x", "--dev", "--db", db, "--addr", "[::]:8080"}, nil, "give --public-url"},
	}
	for _, c := range cases {
		// Bounded: a configuration wrongly accepted would serve until ctx ends.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := run(ctx, c.args, envFrom(c.env), io.Discard)
		cancel()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v, want an error about %q", c.args, c.env, err, c.want)
		}
	}
}

// run serves until its context ends; a request in flight when shutdown
// starts still gets its answer, and the JSON log says so.
func TestServeAndGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	if err := run(context.Background(), []string{"x", "seed", "--db", db}, envFrom(nil), io.Discard); err != nil {
		t.Fatal(err)
	}
	addr := runtest.FreeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &runtest.LogBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"x", "--dev"}, envFrom(map[string]string{
			"SALESPLUS_DB": db, "SALESPLUS_ADDR": addr, "SALESPLUS_LOG_FORMAT": "json",
		}), out)
	}()
	base := "http://" + addr
	waitHealthy(t, base)

	// Start a login whose body is not complete yet, then shut down. The
	// body is announced by its Content-Length (chunked bodies are refused).
	first := `{"username":"` + server.DemoAccounts[0].Username + `",`
	rest := `"password":"` + server.DemoAccounts[0].Password + `","deviceName":"shutdown test"}`
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", base+"/api/v1/sessions", pr)
	req.ContentLength = int64(len(first) + len(rest))
	req.Header.Set("Content-Type", "application/json")
	type answer struct {
		status int
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- answer{0, err}
			return
		}
		res.Body.Close()
		answered <- answer{res.StatusCode, nil}
	}()
	io.WriteString(pw, first)
	waitForLog(t, out, `"path":"/healthz"`) // the server is up and logging
	time.Sleep(200 * time.Millisecond)      // let the handler start reading the body
	cancel()
	waitForLog(t, out, `"msg":"shutting down"`)
	io.WriteString(pw, rest)
	pw.Close()
	a := <-answered
	if a.err != nil || a.status != http.StatusCreated {
		t.Fatalf("in-flight login during shutdown: %d %v", a.status, a.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after shutdown")
	}
	// The log is JSON lines and never holds the password.
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("not a JSON log line: %q", line)
		}
	}
	if strings.Contains(out.String(), server.DemoAccounts[0].Password) {
		t.Error("the log contains a password")
	}
	if !strings.Contains(out.String(), `"msg":"stopped"`) {
		t.Error("no clean stop in the log")
	}
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("server did not come up")
}

func waitForLog(t *testing.T, out *runtest.LogBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("log never showed %s:\n%s", s, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// With a certificate and key the server speaks HTTPS itself.
func TestServeHTTPS(t *testing.T) {
	dir := t.TempDir()
	certPEM, keyPEM := selfSigned(t)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	addr := runtest.FreeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{
			"x", "--dev", "--db", filepath.Join(dir, "tls.db"), "--addr", addr,
			"--tls-cert", certFile, "--tls-key", keyFile,
		}, envFrom(nil), io.Discard)
	}()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	var res *http.Response
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if res, err = c.Get("https://" + addr + "/healthz"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("HTTPS healthz: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.TLS == nil {
		t.Fatalf("HTTPS healthz: %d tls=%v", res.StatusCode, res.TLS != nil)
	}
	if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=63072000" {
		t.Errorf("HTTPS answer without HSTS: Strict-Transport-Security %q", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}
