// Command load measures the reset backend on loopback: throughput and
// latency of lookup and login at 1, 16 and 64 concurrent clients, beside a
// bare net/http handler that answers the same JSON, on the same machine in the
// same run. Each run is bounded in time and request count and stops by itself.
// It prints a Markdown table (make bench runs it; see docs/benchmarks.md).
//
// The backend runs in this process with its real code, a real SQLite file and
// the real argon2id parameters; only the per-address rate limits are turned
// off, since every request comes from 127.0.0.1, and so is the per-account
// login throttle, since every login is for one demo account.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"salesplus/server"
)

func main() {
	duration := flag.Duration("duration", 3*time.Second, "how long each run lasts")
	maxRequests := flag.Int("max", 20000, "most requests per run")
	flag.Parse()
	if err := run(*duration, *maxRequests); err != nil {
		log.Fatal(err)
	}
}

func run(duration time.Duration, maxRequests int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "salesplus-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	backend, err := listen()
	if err != nil {
		return err
	}
	srv, err := server.Open(ctx, server.Config{
		PublicURL: "http://" + backend.Addr().String(),
		DBPath:    filepath.Join(dir, "load.db"),
		Dev:       true,
		Limits:    server.Limits{AddressRequests: -1, LoginFailures: -1},
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.Seed(ctx); err != nil {
		return err
	}
	go http.Serve(backend, srv)

	bare, err := listen()
	if err != nil {
		return err
	}
	go http.Serve(bare, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"username":"alex.morgan@example.com","email":"alex.morgan@example.com"}`))
	}))

	demo := server.DemoAccounts[0]
	lookup := fmt.Sprintf(`{"username":%q}`, demo.Username)
	login := fmt.Sprintf(`{"username":%q,"password":%q,"deviceName":"load test"}`, demo.Username, demo.Password)
	targets := []struct{ name, url, body string }{
		{"bare net/http handler", "http://" + bare.Addr().String() + "/", lookup},
		{"POST /password-reset/lookup", "http://" + backend.Addr().String() + "/api/v1/password-reset/lookup", lookup},
		{"POST /sessions (login, argon2id)", "http://" + backend.Addr().String() + "/api/v1/sessions", login},
	}

	fmt.Printf("| endpoint | clients | requests | req/s | p50 | p99 | errors |\n|---|---|---|---|---|---|---|\n")
	for _, target := range targets {
		for _, clients := range []int{1, 16, 64} {
			r := load(target.url, target.body, clients, duration, maxRequests)
			fmt.Printf("| %s | %d | %d | %.0f | %s | %s | %d |\n", target.name, clients, r.n, r.perSecond,
				r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.errors)
		}
	}
	return nil
}

func listen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

type result struct {
	n, errors int
	perSecond float64
	p50, p99  time.Duration
}

// load sends body to url from clients goroutines until duration has passed or
// maxRequests were sent.
func load(url, body string, clients int, duration time.Duration, maxRequests int) result {
	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	defer transport.CloseIdleConnections()
	hc := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errors    int
		wg        sync.WaitGroup
	)
	sent := make(chan struct{}, maxRequests)
	for range maxRequests {
		sent <- struct{}{}
	}
	close(sent)
	deadline := time.Now().Add(duration)
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range sent {
				if time.Now().After(deadline) {
					return
				}
				t0 := time.Now()
				resp, err := hc.Post(url, "application/json", bytes.NewBufferString(body))
				ok := err == nil && resp.StatusCode < 300
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				elapsed := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, elapsed)
				if !ok {
					errors++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	total := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	return result{n: len(latencies), errors: errors, perSecond: float64(len(latencies)) / total.Seconds(), p50: pct(0.50), p99: pct(0.99)}
}
