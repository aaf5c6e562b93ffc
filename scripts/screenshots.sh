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
# Needs what scripts/lib/gui.sh needs. On failure the screenshots and logs
# are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
mkdir -p "$out"

# shellcheck source=lib/gui.sh
. scripts/lib/gui.sh
gui_setup screenshots "logs and frames"
gui_xvfb 1600x800x24
gui_session shots-keyring

last="" text=""
# shot NAME: once the screen has settled a moment, a screenshot of the app
# window (or, with crop set, of that part of the screen) into $last.
crop=""
shot() {
  sleep 0.3
  last="$work/$1.png"
  gui_grab "$last" "$crop"
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
expect() { gui_expect 30 0 "$@"; }
# keep NAME: the last screenshot becomes docs/screenshots/NAME.png.
keep_shot() { cp "$last" "$out/$1.png"; echo "screenshots: $out/$1.png"; }

# start THEME W H: starts the app (fresh home, fresh demo backend) and waits
# for its window, sized W x H at the top left.
start() {
  rm -rf "$HOME/.config/fyne" "$HOME/.local/share/fyne"
  FYNE_THEME=$1 SALESPLUS_DEMO_MAILBOX=${MAILBOX_WINDOW:-0} gui_start "$work/app-$1-$2.log"
  xdotool windowsize "$win" "$2" "$3" windowmove "$win" 0 0
  xdotool windowfocus --sync "$win" 2>/dev/null || true
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
  local code
  gui_demo_code
  # Code (typed as "123 456", as it reads in the mail), new password, confirm.
  # Enter moves on from the code and the new password (Tab would stop on
  # Send new code once its wait is over).
  xdotool type --delay 20 "${code:0:3} ${code:3:3}"
  xdotool key Return
  xdotool type --delay 20 "sales2024"
  xdotool key Return
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
