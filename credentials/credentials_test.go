package credentials

import (
	"errors"
	"testing"
	"time"
)

func TestCallTimesOut(t *testing.T) {
	k := Keyring{Service: "test", Timeout: 50 * time.Millisecond}
	release := make(chan struct{})
	defer close(release)
	err := k.call("read", func() error { <-release; return nil })
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("a keyring call that never answers: got %v, want ErrTimeout", err)
	}
}

func TestUnsupportedSaysSo(t *testing.T) {
	var s Store = Unsupported{}
	if _, err := s.Get("a"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Get: %v", err)
	}
	if err := s.Set("a", "b"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Set: %v", err)
	}
	if err := s.Delete("a"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Delete: %v", err)
	}
}
