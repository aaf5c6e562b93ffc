#!/usr/bin/env bash
# Regenerates docs/screenshots/: the real app (demo build, backend in-process)
# walked through the reset flow under a private Xvfb, in the light and dark
# themes, at phone (360x640) and desktop (1024x720) size. Every step waits for
# its words on screen (OCR), so timing does not matter; the screenshot is taken
# once they show. The walk is by keyboard, as a rep would do it, and it checks
# on the way that after Save the password field has the focus: the new
# password is typed at once, without a click, and Enter logs in.
#
#   scripts/screenshots.sh            # all four combinations
#   scripts/screenshots.sh light phone
#   MAILBOX=1 scripts/screenshots.sh  # also the Demo Mailbox window (desktop, light)
#   MAILBOX=1 scripts/screenshots.sh none  # only that
#
# Needs: Xvfb, xdotool, ImageMagick (import, convert), tesseract, dbus-daemon,
# gnome-keyring-daemon, curl. On failure the screenshots and logs are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
mkdir -p "$out"

work=$(mktemp -d /tmp/salesplus-shots.XXXXXX)
keep=0
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "screenshots: logs and frames kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { keep=1; echo "screenshots: FAIL: $*" >&2; exit 1; }

go build -tags demo -o "$work/salesplus" .

# A free display: Xvfb picks it and writes its number to the pipe.
exec 3<> <(:)
Xvfb -displayfd 3 -screen 0 1600x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
read -r -t 20 display <&3 || fail "Xvfb did not start"
export DISPLAY=":$display"
unset SALESPLUS_SERVER_URL WAYLAND_DISPLAY

# A private home, and the Secret Service on a private D-Bus session, so the
# rep's login is stored as in real use and nothing of this machine is touched.
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
export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$work/bus.address")
echo -n shots-keyring | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
  sleep 0.1
done

win="" last="" text=""
# grab NAME: screenshot of the app window (or, with crop set, of that part
# of the screen) into $last; fails if it is blank.
crop=""
grab() {
  last="$work/$1.png"
  if [ -n "$crop" ]; then
    import -window root -crop "$crop" +repage "$last"
  else
    import -window "$win" "$last"
  fi
  [ "$(convert "$last" -format '%k' info:)" -gt 8 ] || fail "screenshot $last is blank"
}
# words: what OCR reads on $last, as is, negated (dark theme), thresholded
# (coloured labels) and from the blue channel alone (links on dark), at 3x.
words() {
  local big="$last.big.png"
  convert "$last" -colorspace gray -resize 300% "$big"
  {
    tesseract "$big" - 2>/dev/null
    convert "$big" -negate png:- | tesseract - - 2>/dev/null
    convert "$big" -threshold 70% png:- | tesseract - - 2>/dev/null
    convert "$last" -channel B -separate -resize 300% -negate png:- | tesseract - - 2>/dev/null
  } | tr '\n' ' '
}
# expect NAME TEXT...: retries for ~15 s until the window shows every TEXT.
expect() {
  local name=$1; shift
  local missing
  for _ in $(seq 1 30); do
    sleep 0.3
    grab "$name"
    text=$(words)
    missing=""
    for want in "$@"; do
      grep -qiF -- "$want" <<<"$text" || missing="$missing '$want'"
    done
    [ -z "$missing" ] && return 0
  done
  fail "$name: did not see$missing on screen (OCR read: $text)"
}
# keep NAME: the last screenshot becomes docs/screenshots/NAME.png.
keep_shot() { cp "$last" "$out/$1.png"; echo "screenshots: $out/$1.png"; }

# start THEME W H: starts the app (fresh home, fresh demo backend) and waits
# for its window, sized W x H at the top left.
start() {
  rm -rf "$HOME/.config/fyne" "$HOME/.local/share/fyne"
  FYNE_THEME=$1 SALESPLUS_DEMO_MAILBOX=${MAILBOX_WINDOW:-0} "$work/salesplus" >"$work/app-$1-$2.log" 2>&1 &
  app=$!
  pids+=($app)
  win=""
  for _ in $(seq 1 150); do
    kill -0 "$app" 2>/dev/null || fail "the app exited: $(tail -5 "$work/app-$1-$2.log")"
    win=$(xdotool search --onlyvisible --name '^Sales Plus$' 2>/dev/null | head -1 || true)
    [ -n "$win" ] && break
    sleep 0.2
  done
  [ -n "$win" ] || fail "no 'Sales Plus' window after 30 s"
  xdotool windowsize "$win" "$2" "$3" windowmove "$win" 0 0
  xdotool windowfocus --sync "$win" 2>/dev/null || true
  demo_url=$(sed -n 's/^Sales Plus demo backend at //p' "$work/app-$1-$2.log")
  [ -n "$demo_url" ] || fail "the demo backend did not start"
  read -r user password < <(sed -n 's|^Demo login: \(.*\) / \(.*\)$|\1 \2|p' "$work/app-$1-$2.log")
}
stop() {
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
}
# size W H: resizes the window until it has that size and keeps it (the app
# sets its own size while it starts, which may undo an early resize).
size() {
  local ok=0
  for _ in $(seq 1 50); do
    if [ "$(xdotool getwindowgeometry "$win" | sed -n 's/.*Geometry: //p')" = "$1x$2" ]; then
      ok=$((ok + 1))
      [ $ok -ge 5 ] && return 0
    else
      ok=0
      xdotool windowsize "$win" "$1" "$2" windowmove "$win" 0 0
    fi
    sleep 0.2
  done
  fail "window is $(xdotool getwindowgeometry "$win" | sed -n 's/.*Geometry: //p'), want $1x$2"
}

walk() { # THEME FORM W H
  local theme=$1 form=$2 w=$3 h=$4 p="$1-$2"
  local new_password="Granite-Otter-42-Bloom"
  start "$theme" "$w" "$h"
  size "$w" "$h"
  expect "$p-1" "Sync Status" "Reset Password" "Not signed in"
  keep_shot "$p-1-sync-signed-out"
  # Sync Status starts on its main action (Log In); Tab reaches Reset Password.
  xdotool key Tab space
  expect "$p-login" "Username" "Password"
  xdotool type --delay 30 "$user"
  xdotool key Tab # leaving the field checks the username at once
  expect "$p-2" "Reset password" "I already have a code"
  keep_shot "$p-2-login-reset-link"
  xdotool key shift+Tab space # from the password back to the link
  expect "$p-3" "6-digit code" "Cancel"
  keep_shot "$p-3-reset-popup"
  xdotool key Return
  expect "$p-reset" "Enter the 6-digit code" "Confirm new password"
  local code=""
  for _ in $(seq 1 25); do
    code=$(curl -fsS "$demo_url/dev/mailbox" | grep -o '\b[0-9]\{6\}\b' | tail -1 || true)
    [ -n "$code" ] && break
    sleep 0.2
  done
  [ -n "$code" ] || fail "no code in the demo mailbox"
  # Code (typed as "123 456", as it reads in the mail), new password, confirm.
  xdotool type --delay 20 "${code:0:3} ${code:3:3}"
  xdotool key Tab
  xdotool type --delay 20 "sales2024"
  xdotool key Tab
  xdotool type --delay 20 "sales2025"
  expect "$p-4" "Password strength" "don't match"
  keep_shot "$p-4-reset-weak-mismatch"
  xdotool key shift+Tab ctrl+a BackSpace
  xdotool type --delay 20 "$new_password"
  xdotool key Tab ctrl+a BackSpace
  xdotool type --delay 20 "$new_password"
  expect "$p-5" "Excellent" "Passwords match"
  keep_shot "$p-5-reset-ready"
  xdotool key Return # Save New Password
  expect "$p-6" "Password changed" "$user"
  keep_shot "$p-6-login-after-reset"
  # No click: the password field must already have the focus.
  xdotool type --delay 20 "$new_password"
  xdotool key Return
  expect "$p-7" "Last synced" "Customers" "200 records"
  keep_shot "$p-7-sync-synced"
  stop
}

themes=${1:-"light dark"}
[ "$themes" = none ] && themes="" # MAILBOX=1 scripts/screenshots.sh none: the mailbox shot alone
forms=${2:-"phone desktop"}
for t in $themes; do
  for f in $forms; do
    case $f in
      phone) walk "$t" phone 360 640 ;;
      desktop) walk "$t" desktop 1024 720 ;;
      *) fail "unknown form $f (phone or desktop)" ;;
    esac
  done
done

if [ "${MAILBOX:-0}" = 1 ]; then
  # The Demo Mailbox window beside the app after a code was sent (desktop, light).
  MAILBOX_WINDOW=1 start light 1024 720
  size 1024 720
  # The mailbox window opens at once; put it beside the app (there is no
  # window manager to do it) and give the keyboard back to the app.
  mb=""
  for _ in $(seq 1 50); do
    mb=$(xdotool search --onlyvisible --name '^Demo Mailbox$' 2>/dev/null | head -1 || true)
    [ -n "$mb" ] && break
    sleep 0.2
  done
  [ -n "$mb" ] || fail "no Demo Mailbox window"
  xdotool windowsize "$mb" 420 720 windowmove "$mb" 1034 0
  sleep 0.5
  xdotool windowfocus --sync "$win" 2>/dev/null || true
  expect mailbox-sync "Sync Status"
  xdotool key Tab space
  expect mailbox-login "Username"
  xdotool type --delay 30 "$user"
  xdotool key Tab
  expect mailbox-link "Reset password"
  xdotool key shift+Tab space
  expect mailbox-popup "6-digit code"
  xdotool key Return
  expect mailbox-reset "Enter the 6-digit code"
  # Both windows: the app on the left, the mailbox with the code on the right.
  crop=1454x720+0+0
  expect mailbox "Enter the 6-digit code" "$user" "reset code"
  keep_shot "light-desktop-8-demo-mailbox"
  crop=""
  stop
fi
echo "screenshots: done"
