package main

import (
	"os"
	"strings"
	"testing"
)

// The version sent to the server is the one FyneApp.toml gives the packages.
func TestAppVersionIsFyneAppTomls(t *testing.T) {
	raw, err := os.ReadFile("FyneApp.toml")
	if v := appVersion(); err != nil || v == "" || !strings.Contains(string(raw), "\nVersion = \""+v+"\"\n") {
		t.Errorf("appVersion() = %q, not the Version of FyneApp.toml (%v)", v, err)
	}
}
