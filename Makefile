# Sales Plus. `make run` starts the app (with the embedded demo backend),
# `make test` runs every check. Both install what is missing first
# (Debian/Ubuntu); elsewhere `make deps` prints what to install.

GO       ?= go
PKGS     := ./...
# Debian packages: Fyne's desktop build (2.8 builds Wayland support too) and
# mobile emulation; then what the tests use (Xvfb smoke test, the real keyring,
# the Windows cross-compile check, Node for the reset web page's script,
# PostgreSQL whose initdb/pg_ctl the backend's tests run a throw-away cluster
# with: internal/pgtest).
DEB_BUILD := gcc pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev libwayland-dev wayland-protocols libegl-dev libgles-dev
DEB_TEST  := postgresql xvfb xauth xdotool imagemagick tesseract-ocr tesseract-ocr-eng curl x11-utils dbus gnome-keyring libsecret-tools gcc-mingw-w64-x86-64 nodejs
TOOLS     := $(CURDIR)/.tools
FYNE      := $(TOOLS)/fyne
FYNE_TOOLS_VERSION := v1.7.4
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.7.0
GOFUMPT     := mvdan.cc/gofumpt@v0.12.0
# App metadata comes from FyneApp.toml only.
APP_VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
DIST      := dist

.PHONY: all deps run emulator server test test-go check check-builds smoke lint bench \
        package-linux package-windows package-android package-ios package-macos clean

all: test

# Fast when nothing is missing (one dpkg-query per package).
deps:
	@./scripts/deps.sh $(DEB_BUILD) $(DEB_TEST)

## Run ---------------------------------------------------------------------

# The demo build starts the real backend in-process with a throw-away database
# unless SALESPLUS_SERVER_URL (or the serverURL setting) names a real server.
run: deps
	$(GO) run -tags demo .

emulator: deps
	$(GO) run -tags demo,mobile .

# The backend alone, in dev mode (mail in /dev/mailbox), seeded with the demo
# accounts and datasets.
server:
	$(GO) run ./cmd/salesplus-server seed
	$(GO) run ./cmd/salesplus-server --dev

## Test --------------------------------------------------------------------

test: deps test-go check-builds smoke

# server/ runs its suite on SQLite and again on PostgreSQL: 6-8 min on a busy
# 2-core machine, too near go test's default 10-minute timeout.
test-go:
	$(GO) vet $(PKGS)
	$(GO) vet -tags demo .
	$(GO) test -race -timeout 20m $(PKGS)

# The targets this machine cannot run still have to compile: Windows through
# mingw-w64, and the mobile driver used by the emulator.
check-builds:
	@if $(GO) list -deps . | grep -qx salesplus/server; then echo "the release build links server/ (it must not: see docs/architecture.md)"; exit 1; fi
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc $(GO) build -o /dev/null .
	$(GO) build -tags demo,mobile -o /dev/null .

smoke:
	./scripts/smoke.sh

# Fast feedback while coding: vet and the unit tests that need no system
# part (under -short, the tests that need a Secret Service, Node, PostgreSQL
# or a build of the server binary skip), without -race. make test is the full check.
check:
	$(GO) vet $(PKGS)
	$(GO) vet -tags demo .
	$(GO) test -short $(PKGS)

# Style: gofumpt must have nothing to change, staticcheck nothing to say.
lint:
	@out=$$($(GO) run $(GOFUMPT) -l .); if [ -n "$$out" ]; then echo "gofumpt would reformat:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) $(PKGS)

# Figures for docs/benchmarks.md: strength scoring, keystroke to label, the
# backend on loopback (and on each store: SQLite, one and two instances on a
# throw-away PostgreSQL), and the GUI beside a minimal Fyne app.
bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./strength/
	$(GO) test -run '^$$' -bench Keystroke -benchtime 3x ./screens/
	$(GO) test -run '^$$' -bench Argon2id -benchtime 20x ./server/
	$(GO) run ./bench/load
	$(GO) run ./bench/load -stores
	./scripts/bench-gui.sh

## Packages ----------------------------------------------------------------

$(FYNE):
	GOBIN=$(TOOLS) $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOLS_VERSION)

package-linux: deps $(FYNE)
	mkdir -p $(DIST)
	$(FYNE) package --target linux --release
	mv "Sales Plus.tar.xz" $(DIST)/salesplus-$(APP_VERSION)-linux-amd64.tar.xz

package-windows: deps $(FYNE)
	mkdir -p $(DIST)
	CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 $(FYNE) package --target windows --release
	mv "Sales Plus.exe" $(DIST)/salesplus-$(APP_VERSION)-windows-amd64.exe

package-android: $(FYNE)
	@[ -n "$$ANDROID_NDK_HOME" ] || { echo "package-android needs the Android NDK: install it and set ANDROID_NDK_HOME (see README, Building for each platform)"; exit 1; }
	$(FYNE) package --target android --release

package-ios package-macos: $(FYNE)
	@[ "$$(uname)" = Darwin ] && command -v xcodebuild >/dev/null || { echo "$@ needs macOS with Xcode and its command line tools (see README, Building for each platform)"; exit 1; }
	$(FYNE) package --target $(if $(filter package-ios,$@),ios,darwin) --release

clean:
	rm -rf $(DIST) $(TOOLS)
