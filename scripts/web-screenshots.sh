#!/usr/bin/env bash
# Regenerates docs/screenshots/web-*.png: the web reset page (the link in the
# reset mail) in a real headless Chromium, against a dev server on a fresh
# database, in each state: the link opened, a weak password, refused, too
# long, a strong one, refused by the server, success. Needs chromium
# (Debian package) and node.
#
#   scripts/web-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$work"' EXIT

go build -o "$work/server" ./cmd/salesplus-server
"$work/server" seed --db "$work/db.sqlite" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
U=http://127.0.0.1:$port
"$work/server" --dev --db "$work/db.sqlite" --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
for _ in $(seq 100); do curl -sf "$U/healthz" >/dev/null && break; sleep 0.1; done
curl -sf -H 'Content-Type: application/json' -d '{"username":"alex.morgan@example.com"}' "$U/api/v1/password-reset/request" >/dev/null
link=$(curl -sf "$U/dev/mailbox" | grep -o "$U/reset#[^\"\\\\ ]*" | head -1)

dtport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$work/profile" --window-size=400,900 \
  --remote-debugging-port="$dtport" about:blank 2>"$work/chromium.log" &
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$dtport/json/version" >/dev/null && break; sleep 0.1; done
node --no-warnings --experimental-websocket scripts/web-screenshots.js "$dtport" "$link" "$out"
