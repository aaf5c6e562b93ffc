package main

import (
	"os"
	"strings"
	"testing"
)

func TestAppVersionIsFyneAppTomls(t *testing.T) {
	raw, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	v := appVersion()
	if v == "" || !strings.Contains(string(raw), "\nVersion = \""+v+"\"\n") {
		t.Errorf("appVersion() = %q, not the Version of FyneApp.toml", v)
	}
}
