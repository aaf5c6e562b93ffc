#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are missing.
# On anything that is not Debian/Ubuntu it only prints what to install.
set -euo pipefail

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
else
  echo "Not a Debian/Ubuntu system: install the equivalents of these packages yourself:"
  echo "  $*"
  echo "(a C compiler, pkg-config, OpenGL and X11 headers; see https://docs.fyne.io/started/)"
  exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
