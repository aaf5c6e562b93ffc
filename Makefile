# Sales Plus. `make run` starts the app, `make test` runs every check.
# Both install what is missing first (Debian/Ubuntu); elsewhere `make deps`
# prints what to install.

GO       ?= go
PKGS     := ./...
# Debian packages: Fyne's desktop build, mobile emulation, and what the tests use.
DEB_BUILD := gcc pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev libwayland-dev wayland-protocols libegl-dev libgles-dev
DEB_TEST  := xvfb xauth xdotool imagemagick x11-utils dbus dbus-x11 gnome-keyring libsecret-tools gcc-mingw-w64-x86-64
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.7.0

.PHONY: all deps run emulator server test lint bench clean

all: test

deps: .deps.stamp
.deps.stamp: Makefile
	@./scripts/deps.sh $(DEB_BUILD) $(DEB_TEST)
	@touch $@

run: deps
	$(GO) run .

emulator: deps
	$(GO) run -tags mobile .

server:
	$(GO) run ./cmd/salesplus-server --dev

test: deps
	$(GO) vet $(PKGS)
	$(GO) test -race $(PKGS)

lint: test
	$(GO) run $(STATICCHECK) $(PKGS)

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./strength/

clean:
	rm -f .deps.stamp
