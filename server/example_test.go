package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"salesplus/server"
)

// How the client and app tests start a real backend: a fresh SQLite file,
// dev mode (mail lands in the dev mailbox, written in the same transaction,
// so Mailbox shows it as soon as the request has answered), the demo
// accounts, and httptest. Use Config.Limits{AddressRequests: -1} if a test
// calls one endpoint more than the per-address allowance (e.g. 10 resets a
// minute); use a go-smtp listener and Config.SMTP instead of Dev to test
// real mail delivery.
func Example() {
	dir, _ := os.MkdirTemp("", "salesplus-example")
	defer os.RemoveAll(dir)

	ctx := context.Background()
	srv, err := server.Open(ctx, server.Config{
		DBPath:    filepath.Join(dir, "test.db"),
		PublicURL: "http://127.0.0.1:8080", // links in mails; tests may use the httptest URL
		Dev:       true,
	})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	if err := srv.Seed(ctx); err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	rep := server.DemoAccounts[0]
	res, err := http.Post(ts.URL+"/api/v1/password-reset/request", "application/json",
		strings.NewReader(`{"username":"`+rep.Username+`"}`))
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println("request:", res.StatusCode)

	mails, _ := srv.Mailbox(ctx)
	last := mails[len(mails)-1]
	code := regexp.MustCompile(`\b[0-9]{6}\b`).FindString(last.Body)
	fmt.Println("mail to:", last.To, "| code digits:", len(code))
	// Output:
	// request: 202
	// mail to: alex.morgan@example.com | code digits: 6
}
