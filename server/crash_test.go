package server

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"salesplus/internal/runtest"
	"salesplus/internal/smtptest"
)

// The real binary is killed (SIGKILL) in the middle of a burst of resets
// and started again: the database opens, no account is half-changed
// (password, code, sessions and the "changed" mail move together), and
// every accepted request's mail still reaches the SMTP server.
func TestCrashSafety(t *testing.T) {
	bin := buildServer(t)
	dbPath := filepath.Join(t.TempDir(), "crash.db")
	const n = 24 // accounts that confirm; n more only request
	const original = "Original-Crash-Password-1"
	emails := prepareCrashDB(t, dbPath, 2*n, original)
	sink := smtptest.Start(t)

	child := startChild(t, bin, dbPath, sink)
	c := &http.Client{Timeout: 20 * time.Second}

	// Phase 1: codes for the first n accounts.
	codes := crashCodes(t, c, sink, emails[:n], func(int) string { return child.url })

	// Phase 2: n confirms and n new requests at once; SIGKILL when a third
	// of the answers are in.
	var killOnce sync.Once
	kill := func() { killOnce.Do(func() { child.cmd.Process.Signal(syscall.SIGKILL) }) }
	results := crashJobs(c, emails, codes, func(int) string { return child.url }, kill)
	kill()
	child.cmd.Wait()

	var accepted, confirmed, cut int
	for j, r := range results {
		switch {
		case r.err != nil:
			cut++
		case j < n && r.status == 204:
			confirmed++
		case j >= n && r.status == 202:
			accepted++
		default:
			t.Errorf("job %d: unexpected %d", j, r.status)
		}
	}
	t.Logf("before the kill: %d confirms and %d requests answered, %d cut off", confirmed, accepted, cut)
	if cut == 0 {
		t.Log("the kill came after every answer; the crash hit only the mail worker")
	}

	// Restart: the database opens and the worker delivers what was accepted.
	child = startChild(t, bin, dbPath, sink)
	waitCrashMails(t, sink, emails, results)
	// A request cut off after its commit queued a mail too: let the worker
	// send it, then stop gracefully this time.
	waitOutboxDrained(t, "sqlite", "file:"+dbPath)
	// Graceful stop this time.
	child.cmd.Process.Signal(syscall.SIGTERM)
	if err := child.cmd.Wait(); err != nil {
		t.Errorf("graceful stop: %v\n%s", err, child.out.String())
	}

	// No account is half-changed.
	srv, err := Open(context.Background(), Config{DBPath: dbPath, Dev: true})
	if err != nil {
		t.Fatalf("the database does not open after the crash: %v", err)
	}
	defer srv.Close()
	var integrity string
	srv.db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity)
	if integrity != "ok" {
		t.Fatalf("integrity_check: %s", integrity)
	}
	checkWholeAccounts(t, srv, emails[:n], original, func(j int) bool { return results[j].err == nil && results[j].status == 204 })
	if n := countRows(t, srv, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); n != 0 {
		t.Errorf("%d mails still undelivered", n)
	}
	if t.Failed() {
		t.Logf("child log:\n%s", child.out.String())
	}
}

// checkWholeAccounts checks that each account either has the reset fully
// (code used, sessions revoked, one "changed" mail, the new password) or
// not at all, and fully when confirmed(j) says its confirm answered 204.
func checkWholeAccounts(t *testing.T, srv *Server, emails []string, original string, confirmed func(j int) bool) {
	t.Helper()
	ctx := context.Background()
	for j, email := range emails {
		a, err := findAccount(ctx, srv.db, email)
		if err != nil {
			t.Fatal(err)
		}
		var used, liveSessions, changedMails int
		srv.db.QueryRow(`SELECT count(*) FROM reset_codes WHERE account_id = ? AND state = 'used'`, a.ID).Scan(&used)
		srv.db.QueryRow(`SELECT count(*) FROM sessions WHERE account_id = ? AND revoked_at IS NULL`, a.ID).Scan(&liveSessions)
		srv.db.QueryRow(`SELECT count(*) FROM outbox WHERE to_addr = ? AND subject = 'Your Sales Plus password was changed'`, a.Email).Scan(&changedMails)
		isNew, _ := srv.hasher.verify(ctx, crashPassword(j), a.PasswordHash)
		isOld, _ := srv.hasher.verify(ctx, original, a.PasswordHash)
		changed := used == 1 && liveSessions == 0 && changedMails == 1 && isNew
		unchanged := used == 0 && liveSessions == 1 && changedMails == 0 && isOld
		if !changed && !unchanged {
			t.Errorf("%s is half-changed: used=%d live sessions=%d changed mails=%d new=%v old=%v",
				a.Email, used, liveSessions, changedMails, isNew, isOld)
		}
		if confirmed(j) && !changed {
			t.Errorf("%s: confirm answered 204 but the change is not there", a.Email)
		}
	}
}

// Two real instances on one PostgreSQL database; one is killed (SIGKILL)
// in the middle of a burst spread over both. The other keeps answering
// every request sent to it, no account is half-changed, and every accepted
// request's mail reaches the SMTP server: the survivor takes over the mail
// the dead one had queued or claimed.
func TestCrashSafetyTwoInstances(t *testing.T) {
	dbURL := newPostgresURL(t)
	bin := buildServer(t)
	const n = 16 // accounts that confirm; n more only request
	const original = "Original-Crash-Password-1"
	emails := prepareCrashDB(t, dbURL, 2*n, original)
	sink := smtptest.Start(t)
	claim := "SALESPLUS_MAIL_CLAIM=2s" // so the test need not wait long for the dead one's claims
	children := []*childServer{startChild(t, bin, dbURL, sink, claim), startChild(t, bin, dbURL, sink, claim)}
	c := &http.Client{Timeout: 20 * time.Second}

	codes := crashCodes(t, c, sink, emails[:n], func(i int) string { return children[i%2].url })

	// Job j goes to instance j%2; instance 0 is killed when a third of
	// the answers are in.
	var killOnce sync.Once
	kill := func() { killOnce.Do(func() { children[0].cmd.Process.Signal(syscall.SIGKILL) }) }
	results := crashJobs(c, emails, codes, func(j int) string { return children[j%2].url }, kill)
	kill()
	children[0].cmd.Wait()

	cut := 0
	for j, r := range results {
		want := 204
		if j >= n {
			want = 202
		}
		switch {
		case r.err != nil && j%2 == 1:
			t.Errorf("job %d to the surviving instance: %v", j, r.err)
		case r.err != nil:
			cut++
		case r.status != want:
			t.Errorf("job %d: %d, want %d", j, r.status, want)
		}
	}
	t.Logf("%d requests to the killed instance were cut off", cut)
	// The survivor still serves, and delivers what either one accepted.
	if st, err := crashPost(c, children[1].url, "/api/v1/password-reset/lookup", 999, `{"username":"`+emails[0]+`"}`); err != nil || st != 200 {
		t.Errorf("lookup on the survivor after the kill: %d %v", st, err)
	}
	waitCrashMails(t, sink, emails, results)

	waitOutboxDrained(t, "pgx", dbURL)
	srv, err := Open(context.Background(), Config{DBPath: dbURL, Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	checkWholeAccounts(t, srv, emails[:n], original, func(j int) bool { return results[j].err == nil })
	if n := countRows(t, srv, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); n != 0 {
		t.Errorf("%d mails still undelivered", n)
	}
	if t.Failed() {
		t.Logf("survivor's log:\n%s", children[1].out.String())
	}
}

// waitOutboxDrained waits up to 30 s until the running server has sent every
// queued mail, reading the database beside it.
func waitOutboxDrained(t *testing.T, driver, dsn string) {
	t.Helper()
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if err := conn.QueryRow(`SELECT count(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Errorf("%d mails still queued after 30 s", n)
}

// buildServer builds cmd/salesplus-server into the test's temp directory.
func buildServer(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the server binary: not in -short (make check)")
	}
	bin := filepath.Join(t.TempDir(), "salesplus-server")
	build := exec.Command("go", "build", "-o", bin, "../cmd/salesplus-server")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func countRows(t *testing.T, s *Server, q string) int {
	var n int
	if err := s.db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func crashPassword(j int) string { return fmt.Sprintf("Crash-Zebra-Lantern-%02d-Quill", j) }

// prepareCrashDB creates count accounts sharing one password, each with
// one live session, and returns their emails.
func prepareCrashDB(t *testing.T, dbPath string, count int, password string) []string {
	srv, err := Open(context.Background(), Config{DBPath: dbPath, Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hash, err := srv.hasher.hash(context.Background(), password)
	if err != nil {
		t.Fatal(err)
	}
	emails := make([]string, count)
	for i := range emails {
		emails[i] = fmt.Sprintf("rep%02d@crash.example", i)
		var id int64
		err := srv.db.QueryRow(`INSERT INTO accounts(username, username_key, email, display_name, company, password_hash, password_changed_at)
			VALUES (?, ?, ?, ?, 'Crash Test Ltd', ?, 0) RETURNING id`, emails[i], emails[i], emails[i], "Rep "+strconv.Itoa(i), hash).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.db.Exec(`INSERT INTO sessions(token_hash, account_id, device_name, created_at, expires_at)
			VALUES (?, ?, 'phone', 0, ?)`, tokenHash(emails[i]), id, time.Now().Add(time.Hour).UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	return emails
}

type childServer struct {
	cmd *exec.Cmd
	url string
	out *runtest.LogBuffer
}

// startChild runs the built binary against dbPath, mailing to sink, and
// waits until it answers /healthz.
func startChild(t *testing.T, bin, dbPath string, sink *smtptest.Sink, env ...string) *childServer {
	t.Helper()
	addr := runtest.FreeAddr(t)
	host, port := sink.Host(), sink.Port()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"SALESPLUS_ADDR="+addr,
		"SALESPLUS_PUBLIC_URL=https://sales.example.com",
		"SALESPLUS_DB="+dbPath,
		"SALESPLUS_SMTP_HOST="+host,
		"SALESPLUS_SMTP_PORT="+strconv.Itoa(port),
		"SALESPLUS_SMTP_TLS=none",
		"SALESPLUS_SMTP_FROM=no-reply@sales.example.com",
		"SALESPLUS_TRUST_PROXY=true",
		"SALESPLUS_LOG_FORMAT=json",
	)
	cmd.Env = append(cmd.Env, env...)
	out := &runtest.LogBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	if !runtest.WaitHealthy("http://"+addr+"/healthz", 20*time.Second) {
		t.Fatalf("the server did not come up:\n%s", out.String())
	}
	return &childServer{cmd: cmd, url: "http://" + addr, out: out}
}

// crashPost posts JSON from a distinct client address (the child trusts
// X-Forwarded-For), so the per-address limits do not get in the way.
func crashPost(c *http.Client, base, path string, client int, body string) (int, error) {
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.%d.%d", client/250, client%250+1))
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// crashCodes asks for a code for each of emails, the i-th at url(i), and
// reads the codes from the mail.
func crashCodes(t *testing.T, c *http.Client, sink *smtptest.Sink, emails []string, url func(i int) string) []string {
	t.Helper()
	for i, e := range emails {
		if st, err := crashPost(c, url(i), "/api/v1/password-reset/request", i, `{"username":"`+e+`"}`); err != nil || st != 202 {
			t.Fatalf("phase 1 request %d: %d %v", i, st, err)
		}
	}
	codes := make([]string, len(emails))
	for i, e := range emails {
		m, ok := sink.WaitFor(20*time.Second, func(m smtptest.Message) bool { return m.For(e) })
		if !ok {
			t.Fatalf("no code mail for %s", e)
		}
		codes[i] = smtptest.Code(t, m)
	}
	return codes
}

// crashResult is the answer to one job of crashJobs, or the error of a
// request the kill cut off.
type crashResult struct {
	status int
	err    error
}

// crashJobs runs 2n jobs (n = len(codes)) from 8 workers, confirms and new
// requests interleaved: job j < n confirms emails[j] with codes[j], job
// j >= n asks for a code for emails[j]; job j goes to url(j). kill is
// called once a third of the answers are in.
func crashJobs(c *http.Client, emails, codes []string, url func(j int) string, kill func()) []crashResult {
	n := len(codes)
	results := make([]crashResult, 2*n)
	jobs := make(chan int)
	var answered atomic.Int32
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				var st int
				var err error
				if j < n {
					st, err = crashPost(c, url(j), "/api/v1/password-reset/confirm", 100+j,
						`{"username":"`+emails[j]+`","code":"`+codes[j]+`","newPassword":"`+crashPassword(j)+`"}`)
				} else {
					st, err = crashPost(c, url(j), "/api/v1/password-reset/request", 100+j, `{"username":"`+emails[j]+`"}`)
				}
				results[j] = crashResult{st, err}
				if err == nil && answered.Add(1) >= int32(2*n/3) {
					kill()
				}
			}
		}()
	}
	for j := 0; j < n; j++ {
		jobs <- j
		jobs <- n + j
	}
	close(jobs)
	wg.Wait()
	return results
}

// waitCrashMails waits for the mail of every job crashJobs got an answer
// to: the password-changed notice of a confirm, the code of a request.
func waitCrashMails(t *testing.T, sink *smtptest.Sink, emails []string, results []crashResult) {
	t.Helper()
	n := len(results) / 2
	for j, r := range results {
		if r.err != nil {
			continue
		}
		subject := "Your Sales Plus password reset code"
		if j < n {
			subject = "Your Sales Plus password was changed"
		}
		if _, ok := sink.WaitFor(30*time.Second, func(m smtptest.Message) bool { return m.For(emails[j]) && m.Subject == subject }); !ok {
			t.Errorf("accepted job %d (%s): %q never delivered", j, emails[j], subject)
		}
	}
}
