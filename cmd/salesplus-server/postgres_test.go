package main

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesplus/internal/pgtest"
	"salesplus/internal/runtest"
	"salesplus/server"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// What an operator does with two instances on one PostgreSQL database:
// seed it, start two dev servers on it, and send 20 concurrent confirms of
// one code, half to each. Exactly one wins.
func TestTwoProcessesOnePostgres(t *testing.T) {
	dbURL := pgtest.URL(t)
	bin := filepath.Join(t.TempDir(), "salesplus-server")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "seed", "--db", dbURL).CombinedOutput()
	if err != nil || !strings.Contains(string(out), server.DemoAccounts[0].Username) {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	urls := []string{startProcess(t, bin, dbURL), startProcess(t, bin, dbURL)}
	user := server.DemoAccounts[0].Username

	post := func(base, path, body string) int {
		res, err := http.Post(base+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Error(err)
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := post(urls[0], "/api/v1/password-reset/request", `{"username":"`+user+`"}`); st != 202 {
		t.Fatalf("request: %d", st)
	}
	// The dev mailbox is in the database: the other instance shows it.
	res, err := http.Get(urls[1] + "/dev/mailbox")
	if err != nil {
		t.Fatal(err)
	}
	var mails []server.Mail
	json.NewDecoder(res.Body).Decode(&mails)
	res.Body.Close()
	if len(mails) != 1 {
		t.Fatalf("the other instance's mailbox holds %d mails, want 1", len(mails))
	}
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(mails[0].Body)

	statuses := make([]int, 20)
	runtest.Concurrently(len(statuses), func(i int) {
		statuses[i] = post(urls[i%2], "/api/v1/password-reset/confirm",
			`{"username":"`+user+`","code":"`+code+`","newPassword":"Tangerine-Pelican-Orbit-`+strconv.Itoa(10+i)+`"}`)
	})
	wins := 0
	for _, st := range statuses {
		if st == 204 {
			wins++
		} else if st != 400 && st != 410 {
			t.Errorf("a confirm answered %d", st)
		}
	}
	if wins != 1 {
		t.Fatalf("%d confirms succeeded, want exactly 1: %v", wins, statuses)
	}
}

// startProcess runs the binary in dev mode on dbURL and returns its base URL
// once it answers /healthz.
func startProcess(t *testing.T, bin, dbURL string) string {
	t.Helper()
	addr := runtest.FreeAddr(t)
	logs := &runtest.LogBuffer{}
	cmd := exec.Command(bin, "--dev", "--db", dbURL, "--addr", addr)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("log of %s:\n%s", addr, logs.String())
		}
	})
	if !runtest.WaitHealthy("http://"+addr+"/healthz", 30*time.Second) {
		t.Fatalf("%s did not come up:\n%s", addr, logs.String())
	}
	return "http://" + addr
}

// The log names the database without the password in its URL.
func TestRedactDB(t *testing.T) {
	for in, want := range map[string]string{
		"salesplus.db": "salesplus.db",
		"postgres://sp:s3cret@db.example.com/salesplus?sslmode=verify-full": "postgres://sp:xxxxx@db.example.com/salesplus?sslmode=verify-full",
		"postgres://sp@db.example.com/salesplus?password=s3cret":            "postgres://sp@db.example.com/salesplus?password=xxxxx",
	} {
		if got := redactDB(in); got != want || strings.Contains(got, "s3cret") {
			t.Errorf("redactDB(%q) = %q, want %q", in, got, want)
		}
	}
}
