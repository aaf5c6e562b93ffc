//go:build linux

package credentials

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// secretService is a private D-Bus session with its own gnome-keyring-daemon,
// unlocked with a test password, in a temporary home: the real Linux Secret
// Service, without touching the developer's own keyring.
type secretService struct {
	bus, daemon *exec.Cmd
}

// startSecretService starts the bus and the daemon and points this process's
// D-Bus session address at them. Where they cannot run it skips, except in CI,
// where a missing keyring is a failure.
func startSecretService(t *testing.T) *secretService {
	t.Helper()
	if testing.Short() {
		t.Skip("needs a real Secret Service: not in -short (make check)")
	}
	for _, bin := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed; CI must run the keyring tests (make deps installs it)", bin)
			}
			t.Skipf("%s is not installed (make deps installs it): skipping the real keyring test", bin)
		}
	}
	dir, err := os.MkdirTemp("", "keyring") // t.TempDir paths can be too long for a unix socket
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	socket := filepath.Join(dir, "bus")
	// No <servicedir>: nothing is auto-activated, so a dead daemon stays dead.
	config := fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=%s</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`, socket)
	configPath := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(configPath, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &secretService{bus: exec.Command("dbus-daemon", "--config-file="+configPath, "--nofork", "--print-address")}
	out, err := s.bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.bus.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { s.bus.Process.Kill(); s.bus.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", strings.TrimSpace(addr))

	home := filepath.Join(dir, "home")
	s.daemon = exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	s.daemon.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_RUNTIME_DIR="+dir, "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
	s.daemon.Stdin = strings.NewReader("test-keyring-password")
	if err := s.daemon.Start(); err != nil {
		t.Fatalf("start gnome-keyring-daemon: %v", err)
	}
	t.Cleanup(s.stopDaemon)

	// Wait until the daemon owns the Secret Service name on our bus.
	conn, err := dbus.Connect(strings.TrimSpace(addr))
	if err != nil {
		t.Fatalf("connect to the private bus: %v", err)
	}
	defer conn.Close()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var owned bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&owned)
		if err == nil && owned {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("gnome-keyring-daemon never took org.freedesktop.secrets (last error: %v)", err)
		}
	}
}

func (s *secretService) stopDaemon() {
	if s.daemon.ProcessState == nil {
		s.daemon.Process.Kill()
		s.daemon.Wait()
	}
}

// TestKeyringSecretService runs the Store against the real Secret Service.
// The steps share one daemon and run in order, as the app uses it.
func TestKeyringSecretService(t *testing.T) {
	ss := startSecretService(t)
	store := Keyring{Service: "com.inzant.salesplus.test"}
	const user = "Jordan.Lee@Example.com"

	if _, err := store.Get(user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a missing entry: got %v, want ErrNotFound", err)
	}
	if err := store.Set(user, "first-Password-1"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, err := store.Get(" jordan.lee@example.com "); err != nil || got != "first-Password-1" {
		t.Fatalf("Get after Set (username matched like the server does) = %q, %v", got, err)
	}
	// After a reset the app stores the new password over the old one.
	if err := store.Set(user, "Replaced after reset 2!"); err != nil {
		t.Fatalf("Set (replace): %v", err)
	}
	if got, err := store.Get(user); err != nil || got != "Replaced after reset 2!" {
		t.Fatalf("Get after replace = %q, %v", got, err)
	}
	big := strings.Repeat("ü€x", 2048/6+1) // a little over 2 KB in UTF-8
	if err := store.Set("big@example.com", big); err != nil {
		t.Fatalf("Set 2 KB: %v", err)
	}
	if got, err := store.Get("big@example.com"); err != nil || got != big {
		t.Fatalf("Get 2 KB: %d bytes back, err %v; want %d bytes", len(got), err, len(big))
	}
	if err := store.Delete(user); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := store.Get(user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: got %v, want ErrNotFound", err)
	}
	if err := store.Delete(user); err != nil {
		t.Fatalf("Delete of a missing entry: %v", err)
	}

	// The daemon goes away: calls fail with an error, quickly, and never hang.
	ss.stopDaemon()
	store.Timeout = 3 * time.Second
	start := time.Now()
	_, err := store.Get("big@example.com")
	if err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("Get with the daemon gone: got %v, want a keyring error", err)
	}
	if err := store.Set(user, "x"); err == nil {
		t.Fatal("Set with the daemon gone succeeded")
	}
	if elapsed := time.Since(start); elapsed > 2*store.Timeout+time.Second {
		t.Fatalf("calls with the daemon gone took %v", elapsed)
	}
	t.Logf("with the daemon gone: %v", err)
}
