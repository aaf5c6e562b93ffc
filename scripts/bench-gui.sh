#!/usr/bin/env bash
# GUI figures, Sales Plus beside the smallest Fyne app (bench/hello), both
# built the same way (release flags): cold start to the first painted frame
# under Xvfb, binary size, and idle memory (RSS after 3 s). Prints a Markdown
# table. Runs each app RUNS times, alternating, and reports medians. A third
# build, hello linking the strength package, shows what its initialisation costs.
# With COMPARE_REV set, Sales Plus as of that git revision is measured too, in
# the same runs: an A/B of a change.
# Usage: [COMPARE_REV=rev] scripts/bench-gui.sh [RUNS]   (make bench runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
work=$(mktemp -d /tmp/salesplus-bench.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; git worktree remove --force "$work/rev" 2>/dev/null || true; rm -rf "$work"' EXIT

flags=(-ldflags "-s -w")
go build "${flags[@]}" -o "$work/salesplus" .
go build "${flags[@]}" -o "$work/hello" ./bench/hello
go build "${flags[@]}" -tags benchstrength -o "$work/hello-strength" ./bench/hello
rev=${COMPARE_REV:-}
if [ -n "$rev" ]; then
  git worktree add --quiet --detach "$work/rev" "$rev"
  (cd "$work/rev" && go build "${flags[@]}" -o "$work/salesplus-rev" .)
fi

exec 3<> <(:)
# -noreset: by default the X server resets when its last client leaves, and
# refuses connections meanwhile; the next app started right after the last
# one was killed then failed in glfw.Init ("Failed to detect any supported
# platform").
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
pids+=($!)
read -r -t 20 display <&3
export DISPLAY=":$display" HOME="$work/home" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# Sales Plus starts signed out against a closed port: the first frame of Sync
# Status, with no network in the measurement.
export SALESPLUS_SERVER_URL=http://127.0.0.1:9
unset WAYLAND_DISPLAY

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# measure BINARY TITLE: prints "start_ms rss_kib"
measure() {
  local bin=$1 title=$2 t0 win="" pid colours=0
  t0=$(now_ms)
  "$bin" >"$work/app.log" 2>&1 &
  pid=$!
  local give_up=$((t0 + 30000))
  # Look the window up again each time: a window found early may be replaced.
  while [ "$colours" -le 8 ]; do
    if [ "$(now_ms)" -ge "$give_up" ]; then
      echo "'$title' showed no painted window in 30 s (process $(kill -0 "$pid" 2>/dev/null && echo alive || echo gone); windows: $(xdotool search --name . 2>/dev/null | tr '\n' ' '); log: $(tail -3 "$work/app.log"); Xvfb: $(tail -3 "$work/xvfb.log"))" >&2
      exit 1
    fi
    win=$(xdotool search --onlyvisible --name "^$title\$" 2>/dev/null | head -1 || true)
    [ -n "$win" ] || { sleep 0.01; continue; } # a tight loop would starve Xvfb
    # The colour count straight from import (about 22 ms a look; through a
    # PNG and convert, 46). import waits for ever on a window that has gone
    # (replaced by the app), so it is bounded.
    colours=$(timeout 5 import -window "$win" -format '%k' info: 2>/dev/null || echo 0)
  done
  local t1
  t1=$(now_ms)
  sleep 3
  local rss
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$((t1 - t0)) $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

: >"$work/sp" && : >"$work/hello.txt" && : >"$work/hs.txt" && : >"$work/rev.txt"
for _ in $(seq 1 "$runs"); do
  measure "$work/salesplus" "Sales Plus" >>"$work/sp"
  measure "$work/hello" "Hello" >>"$work/hello.txt"
  measure "$work/hello-strength" "Hello" >>"$work/hs.txt"
  [ -z "$rev" ] || measure "$work/salesplus-rev" "Sales Plus" >>"$work/rev.txt"
done

sp_start=$(cut -d' ' -f1 "$work/sp" | median); h_start=$(cut -d' ' -f1 "$work/hello.txt" | median)
hs_start=$(cut -d' ' -f1 "$work/hs.txt" | median)
sp_rss=$(cut -d' ' -f2 "$work/sp" | median); h_rss=$(cut -d' ' -f2 "$work/hello.txt" | median)
sp_size=$(stat -c %s "$work/salesplus"); h_size=$(stat -c %s "$work/hello")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}'; }

echo "| figure (median of $runs runs) | Sales Plus | hello | ratio |"
echo "|---|---|---|---|"
echo "| cold start to first painted frame | $sp_start ms | $h_start ms | $(ratio "$sp_start" "$h_start") |"
echo "| (hello linking strength/: start) | | $hs_start ms | $(ratio "$hs_start" "$h_start") |"
if [ -n "$rev" ]; then
  rev_start=$(cut -d' ' -f1 "$work/rev.txt" | median)
  echo "| (Sales Plus at $rev: start) | $rev_start ms | | $(ratio "$rev_start" "$h_start") |"
fi
echo "| release binary size | $((sp_size / 1024)) KiB | $((h_size / 1024)) KiB | $(ratio "$sp_size" "$h_size") |"
echo "| idle RSS after 3 s | $((sp_rss / 1024)) MiB | $((h_rss / 1024)) MiB | $(ratio "$sp_rss" "$h_rss") |"
echo
echo "raw start ms, Sales Plus: $(cut -d' ' -f1 "$work/sp" | tr '\n' ' ')"
echo "raw start ms, hello:      $(cut -d' ' -f1 "$work/hello.txt" | tr '\n' ' ')"
echo "raw start ms, hello+strength: $(cut -d' ' -f1 "$work/hs.txt" | tr '\n' ' ')"
[ -z "$rev" ] || echo "raw start ms, Sales Plus at $rev: $(cut -d' ' -f1 "$work/rev.txt" | tr '\n' ' ')"
