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

# shellcheck source=lib/gui.sh
. scripts/lib/gui.sh
gui_setup smoke "screenshots and logs"
gui_xvfb 1024x768x24
gui_session smoke-keyring
export FYNE_THEME=light SALESPLUS_DEMO_MAILBOX=0
gui_start "$work/app.log"
xdotool windowfocus --sync "$win" 2>/dev/null || true

n=0
last=""
# shot NAME: the next numbered screenshot of the app window, into $last.
shot() {
  n=$((n + 1))
  last="$work/$(printf %02d $n)-$1.png"
  gui_grab "$last"
}
# ocr: the words on the last screenshot, as tesseract's TSV at 3x scale.
ocr() {
  convert "$last" -colorspace gray -resize 300% "$last.ocr.png"
  tesseract "$last.ocr.png" - tsv 2>/dev/null | awk -F'\t' 'NR > 1 && $12 ~ /[^ ]/'
}
# words: what OCR reads on $last, twice: as is, and with light text (a
# coloured label) made dark.
words() {
  echo "$(ocr | cut -f12 | tr '\n' ' ') $(convert "$last" -colorspace gray -resize 300% -threshold 88% png:- | tesseract - - 2>/dev/null | tr '\n' ' ')"
}
# expect NAME TEXT...: retries for ~10 s until the window shows every TEXT.
expect() {
  gui_expect 25 0.4 "$@"
  echo "smoke: $1 ok"
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
gui_demo_code
new_password="Granite-Otter-42-Bloom"
# The code field has the focus; Enter moves on to the new password (Tab
# would stop on Send new code once its wait is over), Tab to the confirmation.
xdotool type --delay 20 "$code"
xdotool key Return
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
