// Package pgtest gives tests a real PostgreSQL: one throw-away cluster per
// test binary, started on first use in a temporary directory (initdb and
// pg_ctl from Debian's postgresql package, a unix socket only, no TCP port),
// and a fresh database per test on it. Main stops the cluster and removes
// the directory when the package's tests end. Start gives the same cluster
// to a program (bench/load).
//
// Root cannot run PostgreSQL, so as root the cluster runs as the postgres
// user (runuser), which the Debian package creates.
//
// Without PostgreSQL installed, URL skips the test with the reason; with
// the CI environment variable set it fails it instead, so CI cannot pass
// by skipping.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the admin connection
)

var (
	mainCalled bool
	startOnce  sync.Once
	clus       *Cluster
	startErr   error // why there is no cluster: skip (or fail under CI)
	dbSeq      atomic.Int64
)

// Cluster is a running throw-away PostgreSQL cluster.
type Cluster struct {
	dir    string // socket directory, data directory inside
	bin    string
	runAs  string // "postgres" when running as root, else ""
	admin  *sql.DB
	prefix string
}

// Main runs the package's tests and then stops the cluster, if one was
// started. Call it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	mainCalled = true
	code := m.Run()
	if clus != nil {
		clus.Stop()
	}
	return code
}

// URL creates an empty database on the package's cluster (starting it on
// first use) and returns its postgres:// URL; the database is dropped when
// the test ends. Without PostgreSQL it skips the test, or fails it when CI
// is set.
func URL(t testing.TB) string {
	t.Helper()
	if !mainCalled {
		t.Fatal("pgtest: call pgtest.Main from the package's TestMain, so the cluster is removed afterwards")
	}
	if testing.Short() {
		t.Skip("needs PostgreSQL: not in -short (make check)")
	}
	startOnce.Do(func() { clus, startErr = Start() })
	if startErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL is required when CI is set: %v", startErr)
		}
		t.Skipf("no PostgreSQL: %v", startErr)
	}
	url, drop, err := clus.NewDatabase()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return url
}

// NewDatabase creates an empty database and returns its URL and a function
// that drops it.
func (c *Cluster) NewDatabase() (url string, drop func() error, err error) {
	name := fmt.Sprintf("%s_%d", c.prefix, dbSeq.Add(1))
	if _, err := c.admin.Exec(`CREATE DATABASE ` + name); err != nil {
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	return c.url(name), func() error {
		if _, err := c.admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			return fmt.Errorf("drop database: %w", err)
		}
		return nil
	}, nil
}

func (c *Cluster) url(dbname string) string {
	return "postgres://postgres@/" + dbname + "?host=" + c.dir + "&sslmode=disable"
}

// binDir finds initdb and pg_ctl: Debian keeps them in
// /usr/lib/postgresql/<major>/bin, off the PATH; elsewhere they are on it.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return majorOf(dirs[i]) > majorOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("initdb and pg_ctl not found in /usr/lib/postgresql/*/bin or on the PATH (make deps installs Debian's postgresql)")
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// Start initialises and starts a cluster in a new temporary directory; Stop
// removes it. The error says why when PostgreSQL is not installed or does
// not start.
func Start() (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	// Short path: a unix socket path must fit in 107 bytes.
	dir, err := os.MkdirTemp("", "pgtest")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin, prefix: fmt.Sprintf("t%d", os.Getpid())}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root and there is no postgres user to run the cluster as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.runAs = "postgres"
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	// Durability is off: the cluster lives as long as the test binary.
	opts := "-k " + dir + " -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
	if out, err := c.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	c.admin, err = sql.Open("pgx", c.url("postgres"))
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = c.admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		c.Stop()
		return nil, fmt.Errorf("connect: %w", err)
	}
	return c, nil
}

func (c *Cluster) run(tool string, args ...string) ([]byte, error) {
	name := filepath.Join(c.bin, tool)
	if c.runAs != "" {
		args = append([]string{"-u", c.runAs, "--", name}, args...)
		name = "runuser"
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// Stop stops the cluster at once and removes its directory.
func (c *Cluster) Stop() {
	if c.admin != nil {
		c.admin.Close()
	}
	if out, err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop"); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: pg_ctl stop: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	os.RemoveAll(c.dir)
}
