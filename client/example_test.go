package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"

	"salesplus/apierr"
	"salesplus/client"
	"salesplus/server"
)

// The reset as the app does it: look the username up, have a code mailed,
// confirm it with a new password, log in with that password. A failure is an
// error of package apierr, which the screens word for the rep.
func Example_passwordReset() {
	ctx := context.Background()
	baseURL, readCode, stop := startDemoServer() // the real backend, in this process
	defer stop()

	c, _ := client.New(baseURL, client.WithVersion("1.0.0"))
	account, err := c.Lookup(ctx, "Alex.Morgan@example.com")
	if err != nil {
		fmt.Println("lookup failed:", err)
		return
	}
	sent, _ := c.RequestReset(ctx, account.Username)
	fmt.Println("Code sent to", sent.SentTo)

	code := readCode() // what the rep types from the email
	const password = "Tangerine-Glacier-Orbit-41"
	err = c.ConfirmReset(ctx, account.Username, wrongDigit(code), password)
	var p *apierr.Problem
	if errors.As(err, &p) && p.Code == apierr.CodeInvalid {
		fmt.Println("Wrong code,", p.AttemptsLeft, "tries left")
	}
	if err = c.ConfirmReset(ctx, account.Username, code, password); err == nil {
		fmt.Println("Password changed")
	}

	if _, err := c.Login(ctx, account.Username, password, "Example phone"); err == nil {
		status, _ := c.SyncStatus(ctx)
		fmt.Println("Logged in as", status.Account.DisplayName)
	}
	// Output:
	// Code sent to alex.morgan@example.com
	// Wrong code, 4 tries left
	// Password changed
	// Logged in as Alex Morgan
}

// startDemoServer runs the real server in dev mode (mail kept in its
// mailbox) with the demo accounts, and returns its URL and a function that
// reads the code from the newest reset mail.
func startDemoServer() (baseURL string, readCode func() string, stop func()) {
	dir, err := os.MkdirTemp("", "salesplus-example")
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	ts := httptest.NewUnstartedServer(nil)
	baseURL = "http://" + ts.Listener.Addr().String()
	srv, err := server.Open(ctx, server.Config{PublicURL: baseURL, DBPath: filepath.Join(dir, "demo.db"), Dev: true})
	if err != nil {
		panic(err)
	}
	if err := srv.Seed(ctx); err != nil {
		panic(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	codeLine := regexp.MustCompile(`(?m)^\s+(\d{6})\s*$`)
	readCode = func() string {
		mails, err := srv.Mailbox(ctx)
		if err != nil || len(mails) == 0 {
			panic(fmt.Sprint("no mail: ", err))
		}
		return codeLine.FindStringSubmatch(mails[len(mails)-1].Body)[1]
	}
	return baseURL, readCode, func() {
		ts.Close()
		_ = srv.Close()
		_ = os.RemoveAll(dir)
	}
}

// wrongDigit returns code with its first digit changed: surely wrong.
func wrongDigit(code string) string {
	return string('0'+(code[0]-'0'+1)%10) + code[1:]
}
