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
//
// With -stores it compares the stores instead: lookup and login on SQLite,
// on one instance on PostgreSQL and on two instances sharing one PostgreSQL
// database (the clients alternate between them, as a load balancer would).
// There the per-address limits stay on, with an allowance no client reaches
// and each client its own address (X-Forwarded-For, trusted), so their cost
// is measured: a memory map on SQLite, a row upsert per request on
// PostgreSQL. PostgreSQL is a throw-away cluster (internal/pgtest) unless
// -pg names a database.
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

	"salesplus/internal/pgtest"
	"salesplus/server"
)

func main() {
	duration := flag.Duration("duration", 3*time.Second, "how long each run lasts")
	maxRequests := flag.Int("max", 20000, "most requests per run")
	stores := flag.Bool("stores", false, "compare SQLite, one PostgreSQL instance and two")
	pgURL := flag.String("pg", "", "with -stores: an empty PostgreSQL database to use instead of a throw-away cluster")
	flag.Parse()
	var err error
	if *stores {
		err = runStores(*duration, *maxRequests, *pgURL)
	} else {
		err = run(*duration, *maxRequests)
	}
	if err != nil {
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
			r := load([]string{target.url}, target.body, clients, duration, maxRequests)
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

// load sends body to the urls, each client goroutine going round them, from
// clients goroutines until duration has passed or maxRequests were sent.
// Each client sends its own X-Forwarded-For address.
func load(urls []string, body string, clients int, duration time.Duration, maxRequests int) result {
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
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			xff := fmt.Sprintf("10.0.%d.%d", c/250, c%250+1)
			i := c
			for range sent {
				if time.Now().After(deadline) {
					return
				}
				i++
				req, _ := http.NewRequest("POST", urls[i%len(urls)], bytes.NewBufferString(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", xff)
				t0 := time.Now()
				resp, err := hc.Do(req)
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

// runStores prints the store comparison table.
func runStores(duration time.Duration, maxRequests int, pgURL string) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "salesplus-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	newDB := func() (string, error) { return pgURL, nil }
	if pgURL == "" {
		cluster, err := pgtest.Start()
		if err != nil {
			return err
		}
		defer cluster.Stop()
		newDB = func() (string, error) {
			url, _, err := cluster.NewDatabase()
			return url, err
		}
	}
	// instances opens n servers on dsn, seeded, each on its own listener.
	instances := func(dsn string, n int) ([]string, func(), error) {
		var urls []string
		var closers []func()
		closeAll := func() {
			for _, c := range closers {
				c()
			}
		}
		for i := 0; i < n; i++ {
			ln, err := listen()
			if err != nil {
				closeAll()
				return nil, nil, err
			}
			srv, err := server.Open(ctx, server.Config{
				PublicURL:  "http://" + ln.Addr().String(),
				DBPath:     dsn,
				Dev:        true,
				TrustProxy: true,
				Limits:     server.Limits{AddressRequests: 1_000_000_000, LoginFailures: -1},
			})
			if err != nil {
				ln.Close()
				closeAll()
				return nil, nil, err
			}
			hs := &http.Server{Handler: srv}
			go hs.Serve(ln)
			closers = append(closers, func() { hs.Close(); srv.Close() })
			if i == 0 {
				if err := srv.Seed(ctx); err != nil {
					closeAll()
					return nil, nil, err
				}
			}
			urls = append(urls, "http://"+ln.Addr().String())
		}
		return urls, closeAll, nil
	}
	pg1, err := newDB()
	if err != nil {
		return err
	}
	pg2 := pg1
	if pgURL == "" {
		if pg2, err = newDB(); err != nil {
			return err
		}
	}
	setups := []struct {
		name string
		dsn  string
		n    int
	}{
		{"SQLite, 1 instance", filepath.Join(dir, "load.db"), 1},
		{"PostgreSQL, 1 instance", pg1, 1},
		{"PostgreSQL, 2 instances", pg2, 2},
	}
	demo := server.DemoAccounts[0]
	lookup := fmt.Sprintf(`{"username":%q}`, demo.Username)
	login := fmt.Sprintf(`{"username":%q,"password":%q,"deviceName":"load test"}`, demo.Username, demo.Password)
	fmt.Printf("| store | endpoint | clients | requests | req/s | p50 | p99 | errors |\n|---|---|---|---|---|---|---|---|\n")
	for _, setup := range setups {
		bases, closeAll, err := instances(setup.dsn, setup.n)
		if err != nil {
			return fmt.Errorf("%s: %w", setup.name, err)
		}
		for _, target := range []struct{ name, path, body string }{
			{"POST /password-reset/lookup", "/api/v1/password-reset/lookup", lookup},
			{"POST /sessions (login)", "/api/v1/sessions", login},
		} {
			var urls []string
			for _, b := range bases {
				urls = append(urls, b+target.path)
			}
			for _, clients := range []int{1, 16, 64} {
				r := load(urls, target.body, clients, duration, maxRequests)
				fmt.Printf("| %s | %s | %d | %d | %.0f | %s | %s | %d |\n", setup.name, target.name, clients, r.n, r.perSecond,
					r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.errors)
			}
		}
		closeAll()
	}
	return nil
}
