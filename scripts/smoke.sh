#!/usr/bin/env bash
# GUI smoke test: builds the real app (demo build), starts it under Xvfb with
# the embedded demo backend, and walks the reset flow with xdotool the way a
# person would: Sync Status -> Reset Password -> username -> the link -> the
# "send a code" popup -> OK -> the code from the demo mailbox -> a new password
# -> Save -> log in -> synced. Each step is read back from the screen with OCR
# (tesseract) and retried briefly, so window-manager timing does not matter.
# On failure the screenshots and logs are kept and their path printed.
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
mkdir -p "$HOME/.cache" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset SALESPLUS_SERVER_URL WAYLAND_DISPLAY

# The real Secret Service on a private D-Bus session (no auto-activation, so
# nothing outside this test is started), unlocked with a test password.
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
export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$work/bus.address")
echo -n smoke-keyring | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
  sleep 0.1
done
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
demo_url=$(sed -n 's/^Sales Plus demo backend at //p' "$work/app.log")
[ -n "$demo_url" ] || fail "the demo backend did not start: $(tail -5 "$work/app.log")"
read -r user password < <(sed -n 's|^Demo login: \(.*\) / \(.*\)$|\1 \2|p' "$work/app.log")
xdotool windowfocus --sync "$win" 2>/dev/null || true

n=0
last=""
# shot NAME: screenshot of the app window into $last; fails if it is blank.
shot() {
  n=$((n + 1))
  last="$work/$(printf %02d $n)-$1.png"
  import -window "$win" "$last"
  local colours
  colours=$(convert "$last" -format '%k' info:)
  [ "$colours" -gt 8 ] || fail "screenshot $last is blank ($colours colours)"
}
# ocr: the words on the last screenshot, as tesseract's TSV at 3x scale.
ocr() {
  convert "$last" -colorspace gray -resize 300% "$last.ocr.png"
  tesseract "$last.ocr.png" - tsv 2>/dev/null | awk -F'\t' 'NR > 1 && $12 ~ /[^ ]/'
}
# expect NAME TEXT...: retries for ~10 s until the window shows every TEXT.
expect() {
  local name=$1; shift
  local missing
  for _ in $(seq 1 25); do
    shot "$name"
    # Read twice: as is, and with light text (a coloured label) made dark.
    text="$(ocr | cut -f12 | tr '\n' ' ') $(convert "$last" -colorspace gray -resize 300% -threshold 88% png:- | tesseract - - 2>/dev/null | tr '\n' ' ')"
    missing=""
    for want in "$@"; do
      grep -qiF -- "$want" <<<"$text" || missing="$missing '$want'"
    done
    [ -z "$missing" ] && { echo "smoke: $name ok"; return 0; }
    sleep 0.4
  done
  fail "$name: did not see$missing on screen (OCR read: $text)"
}
# click WORD NEXT: clicks the word WORD followed by NEXT on one line of the
# last screenshot (a button or a link), found by OCR.
click() {
  local at
  at=$(ocr | awk -F'\t' -v a="$1" -v b="$2" '
    { line = $3 "." $4 "." $5; w = tolower($12) }
    prev_line == line && prev == tolower(a) && w == tolower(b) { print int((px + pw / 2) / 3), int((py + ph / 2) / 3); exit }
    { prev_line = line; prev = w; px = $7; py = $8; pw = $9; ph = $10 }')
  [ -n "$at" ] || fail "no '$1 $2' to click on $last"
  xdotool mousemove --window "$win" ${at% *} ${at#* } click 1
}

expect sync-status "Sync Status" "Reset Password" "Not signed in"
click Reset Password
expect login "Username" "Password"
xdotool type --delay 30 "$user"
# The link appears only once the server has confirmed the username.
expect login-link "Reset password"
click Reset password
expect popup "6-digit code" "$user" "Cancel"
xdotool key Return
expect reset-screen "Enter the 6-digit code" "Confirm new password"
code=""
for _ in $(seq 1 25); do
  code=$(curl -fsS "$demo_url/dev/mailbox" | grep -o '\b[0-9]\{6\}\b' | tail -1 || true)
  [ -n "$code" ] && break
  sleep 0.2
done
[ -n "$code" ] || fail "no code in the demo mailbox"
new_password="Granite-Otter-42-Bloom"
# The code field has the focus; Tab walks code -> new password -> confirm.
xdotool type --delay 20 "$code"
xdotool key Tab
xdotool type --delay 20 "Summer2024"
expect weak-password "Password strength"
xdotool key ctrl+a BackSpace
xdotool type --delay 20 "$new_password"
xdotool key Tab
xdotool type --delay 20 "$new_password"
expect reset-ready "Excellent" "Passwords match"
xdotool key Return
expect password-changed "Password changed"
xdotool type --delay 20 "$new_password"
xdotool key Return
expect synced "Last synced" "Customers" "200 records"
grep -qi "keyring" <<<"$text" && fail "the app could not use the keyring: $text"
stored=$(secret-tool lookup service com.inzant.salesplus username "$user" 2>/dev/null || true)
[ "$stored" = "$new_password" ] || fail "the keyring does not hold the new password"
echo "smoke: the reset flow works in the real app, and the keyring holds the new password ($n screenshots)"
