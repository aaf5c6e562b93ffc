# shellcheck shell=bash
# Shared by scripts/smoke.sh and scripts/screenshots.sh, which drive the real
# app (demo build, backend in-process) under a private X display: the
# scratch directory and its cleanup, Xvfb, a private home with the real
# Secret Service on a private D-Bus session, starting the app and waiting for
# its window, the code from the demo mailbox, and screenshots read by OCR.
# Source it after `set -euo pipefail` and `cd` to the repo root.
#
# Needs: Xvfb, xdotool, ImageMagick (import, convert), tesseract, dbus-daemon,
# gnome-keyring-daemon, curl.

# gui_setup TAG KEPT: makes $work, builds the app into it, and on exit stops
# what was started (pids) and removes $work unless a step failed (then it
# says that KEPT, e.g. "screenshots and logs", are kept there). TAG starts
# every message.
gui_setup() {
  gui_tag=$1 gui_kept=$2
  work=$(mktemp -d "/tmp/salesplus-$gui_tag.XXXXXX")
  keep=0
  pids=()
  trap gui_cleanup EXIT
  go build -tags demo -o "$work/salesplus" .
}
gui_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "$gui_tag: $gui_kept kept in $work"; else rm -rf "$work"; fi
}
fail() { keep=1; echo "$gui_tag: FAIL: $*" >&2; exit 1; }

# gui_xvfb WxHxDEPTH: a free display (Xvfb picks it and writes its number to
# the pipe), exported as DISPLAY.
gui_xvfb() {
  exec 3<> <(:)
  # -noreset: the server must not reset (and refuse connections) when its
  # last client leaves, e.g. between two xdotool calls before the app starts.
  Xvfb -displayfd 3 -screen 0 "$1" -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
  pids+=($!)
  local display
  read -r -t 20 display <&3 || fail "Xvfb did not start"
  export DISPLAY=":$display"
  unset SALESPLUS_SERVER_URL WAYLAND_DISPLAY
}

# gui_session PASSWORD: a private home (fresh preferences and storage), and
# the real Secret Service on a private D-Bus session (no auto-activation, so
# nothing outside this run is started), unlocked with PASSWORD; the rep's
# login is stored as in real use and nothing of this machine is touched.
gui_session() {
  export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
  export XDG_RUNTIME_DIR="$work/run"
  mkdir -p "$HOME/.cache" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  cat >"$work/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=$work/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
CONF
  dbus-daemon --config-file="$work/bus.conf" --nofork --print-address=4 4>"$work/bus.address" 2>"$work/dbus.log" &
  pids+=($!)
  for _ in $(seq 1 50); do [ -s "$work/bus.address" ] && break; sleep 0.1; done
  DBUS_SESSION_BUS_ADDRESS=$(head -1 "$work/bus.address")
  export DBUS_SESSION_BUS_ADDRESS
  echo -n "$1" | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
    sleep 0.1
  done
}

# gui_start LOG: starts the app (its environment as the caller sets it),
# logging to LOG, and waits for its window rather than sleeping a fixed
# time. Sets app, win, demo_url and the demo login (user, password).
gui_start() {
  local log=$1
  "$work/salesplus" >"$log" 2>&1 &
  app=$!
  pids+=($app)
  win=""
  for _ in $(seq 1 150); do
    kill -0 "$app" 2>/dev/null || fail "the app exited: $(tail -5 "$log")"
    win=$(xdotool search --onlyvisible --name '^Sales Plus$' 2>/dev/null | head -1 || true)
    [ -n "$win" ] && break
    sleep 0.2
  done
  [ -n "$win" ] || fail "no 'Sales Plus' window after 30 s"
  demo_url=$(sed -n 's/^Sales Plus demo backend at //p' "$log")
  [ -n "$demo_url" ] || fail "the demo backend did not start: $(tail -5 "$log")"
  read -r user password < <(sed -n 's|^Demo login: \(.*\) / \(.*\)$|\1 \2|p' "$log")
}

# gui_demo_code: sets code to the newest code in the demo mailbox, waiting
# up to ~5 s for the mail.
gui_demo_code() {
  code=""
  for _ in $(seq 1 25); do
    code=$(curl -fsS "$demo_url/dev/mailbox" | grep -o '\b[0-9]\{6\}\b' | tail -1 || true)
    [ -n "$code" ] && break
    sleep 0.2
  done
  [ -n "$code" ] || fail "no code in the demo mailbox"
}

# gui_grab FILE [CROP]: a screenshot of the app window (or, with CROP, of that
# part of the screen) into FILE. Returns 1 if it is blank: before the first
# paint a new window is one colour, which means "not yet", so callers retry
# within their wait (gui_expect does).
gui_grab() {
  if [ -n "${2:-}" ]; then
    import -window root -crop "$2" +repage "$1"
  else
    # import waits for ever on a window that has gone: bound it.
    timeout 10 import -window "$win" "$1" || fail "no screenshot of window $win for $1"
  fi
  local colours
  colours=$(convert "$1" -format '%k' info:)
  [ "$colours" -gt 8 ]
}

# gui_expect TRIES PAUSE NAME TEXT...: until the window shows every TEXT,
# takes a screenshot with the script's `shot NAME` and reads it with its
# `words` (into $text), at most TRIES times, PAUSE seconds apart.
gui_expect() {
  local tries=$1 pause=$2 name=$3
  shift 3
  local missing
  for _ in $(seq 1 "$tries"); do
    if ! shot "$name"; then
      text="(a blank frame: the window has not painted yet)"
      sleep "$pause"
      continue
    fi
    text=$(words)
    missing=""
    for want in "$@"; do
      grep -qiF -- "$want" <<<"$text" || missing="$missing '$want'"
    done
    [ -z "$missing" ] && return 0
    sleep "$pause"
  done
  fail "$name: did not see$missing on screen (OCR read: $text)"
}
