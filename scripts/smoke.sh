#!/usr/bin/env bash
# GUI smoke test: builds the real app (demo build), starts it under Xvfb with
# the embedded demo backend, drives the reset flow with xdotool as far as the
# "send a code" popup, and reads the screen back with OCR at each step.
# On failure the screenshots are kept and their path printed.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/salesplus-smoke.XXXXXX)
keep=0
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "smoke: screenshots and logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { keep=1; echo "smoke: FAIL: $*" >&2; exit 1; }

go build -tags demo -o "$work/salesplus" .

# A free display: Xvfb picks it and writes its number to the pipe.
exec 3<> <(:)
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
read -r -t 20 display <&3 || fail "Xvfb did not start"
export DISPLAY=":$display"

# A private home: fresh preferences and storage, no real keyring touched.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset SALESPLUS_SERVER_URL WAYLAND_DISPLAY
export FYNE_THEME=light SALESPLUS_DEMO_MAILBOX=0

"$work/salesplus" >"$work/app.log" 2>&1 &
app=$!
pids+=($app)

# Wait for the window rather than sleeping a fixed time.
win=""
for _ in $(seq 1 150); do
  kill -0 "$app" 2>/dev/null || fail "the app exited: $(tail -5 "$work/app.log")"
  win=$(xdotool search --onlyvisible --name '^Sales Plus$' 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  sleep 0.2
done
[ -n "$win" ] || fail "no 'Sales Plus' window after 30 s"
xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus --sync "$win"

n=0
# shot NAME: screenshot of the app window; fails if it is blank.
shot() {
  n=$((n + 1))
  local f="$work/$n-$1.png"
  import -window "$win" "$f"
  local colours
  colours=$(convert "$f" -format '%k' info:)
  [ "$colours" -gt 8 ] || fail "screenshot $f is blank ($colours colours)"
  echo "$f"
}
# expect NAME TEXT...: retries briefly until OCR of the window shows every TEXT.
expect() {
  local name=$1; shift
  local f text missing
  for _ in $(seq 1 25); do
    f=$(shot "$name")
    convert "$f" -colorspace gray -resize 300% "$f.ocr.png"
    text=$(tesseract "$f.ocr.png" - 2>/dev/null | tr '\n' ' ')
    missing=""
    for want in "$@"; do
      grep -qiF -- "$want" <<<"$text" || missing="$missing '$want'"
    done
    [ -z "$missing" ] && { echo "smoke: $name ok"; return 0; }
    sleep 0.4
  done
  fail "$name: did not see$missing on screen (OCR read: $text)"
}

expect sync-status "Sync Status" "Reset Password"
# Step through the flow with the keyboard only (see screens/ for the order).
xdotool key --window "$win" --clearmodifiers ctrl+r 2>/dev/null || true
