package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"salesplus/apierr"
	"salesplus/client"
)

func TestWriteDatasetRefusesPathsFromTheServer(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"../escape", "a/b", "", "UPPER", ".hidden"} {
		if err := writeDataset(dir, client.Dataset{Name: name}); err == nil {
			t.Errorf("dataset name %q accepted", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "escape.json")); !os.IsNotExist(err) {
		t.Error("a file was written outside the datasets folder")
	}
	if err := writeDataset(dir, client.Dataset{Name: "price-list", Version: 3}); err != nil {
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

// TestUnexpectedFailuresAreLogged: failures the rep cannot act on go to the
// log with the raw error; expected answers such as a wrong code do not.
func TestUnexpectedFailuresAreLogged(t *testing.T) {
	var buf bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))

	wrong := &apierr.Problem{Status: 400, Code: apierr.CodeInvalid, AttemptsLeft: 3}
	if err := logged(wrong); err != wrong || buf.Len() != 0 {
		t.Errorf("a wrong code was logged (%v): %s", err, buf.String())
	}
	if err := logged(fmt.Errorf("%w", context.Canceled)); !errors.Is(err, context.Canceled) || buf.Len() != 0 {
		t.Errorf("a cancelled call was logged: %s", buf.String())
	}
	_ = logged(fmt.Errorf("decode answer: %w", apierr.ErrServer))
	if !bytes.Contains(buf.Bytes(), []byte("decode answer")) {
		t.Errorf("a server failure was not logged with its raw error: %q", buf.String())
	}
}

// TestRequestsCarryTheAppVersion: the server can tell app versions apart.
func TestRequestsCarryTheAppVersion(t *testing.T) {
	agents := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents <- r.UserAgent()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"username":"rep@example.com","email":"rep@example.com"}`))
	}))
	defer srv.Close()
	a := newAPI(srv.URL, Config{Version: "1.2.3"})
	if _, err := a.Lookup(context.Background(), "rep@example.com"); err != nil {
		t.Fatal(err)
	}
	if ua := <-agents; !strings.HasPrefix(ua, "SalesPlus/1.2.3 ") {
		t.Errorf("User-Agent %q", ua)
	}
}
