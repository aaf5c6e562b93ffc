package app

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"salesplus/client"
	"salesplus/screens"
)

func TestExplainPutsEachErrorInItsPlace(t *testing.T) {
	for _, tc := range []struct {
		err  error
		kind screens.Kind
	}{
		{&client.APIError{Status: 404, Code: "unknown_user", AttemptsLeft: -1}, screens.KindUnknownUser},
		{&client.APIError{Status: 409, Code: "username_not_email", AttemptsLeft: -1}, screens.KindUsernameNotEmail},
		{&client.APIError{Status: 400, Code: "code_invalid", AttemptsLeft: 3}, screens.KindCodeInvalid},
		{&client.APIError{Status: 410, Code: "code_expired", AttemptsLeft: -1}, screens.KindCodeExpired},
		{&client.APIError{Status: 423, Code: "code_locked", AttemptsLeft: -1}, screens.KindCodeLocked},
		{&client.APIError{Status: 422, Code: "password_too_weak", AttemptsLeft: -1}, screens.KindPasswordTooWeak},
		{&client.APIError{Status: 429, Code: "resend_too_soon", AttemptsLeft: -1, RetryAfter: 30 * time.Second}, screens.KindResendTooSoon},
		{&client.APIError{Status: 429, Code: "reset_locked", AttemptsLeft: -1}, screens.KindRateLimited},
		{&client.APIError{Status: 401, Code: "invalid_credentials", AttemptsLeft: -1}, screens.KindInvalidCredentials},
		{fmt.Errorf("dial: %w", client.ErrUnreachable), screens.KindUnreachable},
		{fmt.Errorf("boom"), screens.KindOther},
	} {
		f := explain(tc.err)
		if f.Kind != tc.kind {
			t.Errorf("%v: kind %v, want %v", tc.err, f.Kind, tc.kind)
		}
		if f.Message == "" || f.Message != client.Message(tc.err) {
			t.Errorf("%v: message %q, want client.Message", tc.err, f.Message)
		}
	}
	f := explain(&client.APIError{Status: 400, Code: "code_invalid", AttemptsLeft: 3})
	if f.AttemptsLeft != 3 {
		t.Errorf("attempts left %d", f.AttemptsLeft)
	}
	f = explain(&client.APIError{Status: 429, Code: "resend_too_soon", AttemptsLeft: -1, RetryAfter: 30 * time.Second})
	if f.RetryAfter != 30*time.Second {
		t.Errorf("retry after %v", f.RetryAfter)
	}
}

func TestWriteDatasetRefusesPathsFromTheServer(t *testing.T) {
	dir := t.TempDir()
	e := &engine{dir: dir}
	for _, name := range []string{"../escape", "a/b", "", "UPPER", ".hidden"} {
		if err := e.writeDataset(client.Dataset{Name: name}); err == nil {
			t.Errorf("dataset name %q accepted", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "escape.json")); !os.IsNotExist(err) {
		t.Error("a file was written outside the datasets folder")
	}
	if err := e.writeDataset(client.Dataset{Name: "price-list", Version: 3}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "datasets", "price-list.json"))
	if err != nil || len(raw) == 0 {
		t.Fatalf("written file: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "datasets", "*.tmp"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestExplainLogsUnexpectedFailures: failures the rep cannot act on go to the
// log with the raw error; expected answers such as a wrong code do not.
func TestExplainLogsUnexpectedFailures(t *testing.T) {
	var logged bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))

	explain(&client.APIError{Status: 400, Code: "code_invalid", AttemptsLeft: 3})
	if logged.Len() != 0 {
		t.Errorf("a wrong code was logged: %s", logged.String())
	}
	explain(fmt.Errorf("decode answer: %w", client.ErrServer))
	if !bytes.Contains(logged.Bytes(), []byte("decode answer")) {
		t.Errorf("a server failure was not logged with its raw error: %q", logged.String())
	}
}
