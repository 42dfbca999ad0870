#!/usr/bin/env bash
# Installs what building, running and testing tba-wizard needs, and nothing that is already there.
# Usage: scripts/setup.sh [build|run|test]...   (default: build run)
set -euo pipefail
cd "$(dirname "$0")/.."

want_build=0 want_run=0 want_test=0
[ $# -eq 0 ] && set -- build run
for w in "$@"; do
  case "$w" in
    build) want_build=1 ;;
    run) want_run=1 ;;
    test) want_build=1 want_run=1 want_test=1 ;;
    *) echo "setup.sh: unknown part '$w' (use build, run or test)" >&2; exit 2 ;;
  esac
done

apt_pkgs=()
if [ "$want_build" = 1 ]; then
  apt_pkgs+=(libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev
             libxdo-dev libssl-dev libdbus-1-dev build-essential file pkg-config)
fi
if [ "$want_run" = 1 ]; then
  apt_pkgs+=(xdg-utils)
fi
if [ "$want_test" = 1 ]; then
  apt_pkgs+=(xvfb xauth x11-utils xdotool imagemagick webkit2gtk-driver gnome-keyring dbus-x11
             libsecret-tools at-spi2-core fonts-dejavu-core python3-venv xclip tesseract-ocr tesseract-ocr-eng
             time curl openssl sway wl-clipboard)
fi

missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(uname -s)" != Linux ] || ! command -v apt-get >/dev/null; then
    echo "setup.sh: missing system packages: ${missing[*]}; see README.md for other systems" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  # Not `npm ci`: npm 11 leaves the other platforms' optional packages (@tauri-apps/cli-*, rollup's)
  # out of the lock file here, and `npm ci` then refuses the lock as out of sync. `npm install` keeps
  # the locked versions all the same.
  npm install --no-audit --no-fund --loglevel=error
fi

if [ "$want_test" = 1 ]; then
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "setup: building tauri-driver"
    cargo install tauri-driver --locked --version "^2" --quiet
  fi
  if [ ! -x .venv/bin/pytest ] || [ tests/requirements.txt -nt .venv/.installed ]; then
    echo "setup: installing the Python test tools"
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt
    touch .venv/.installed
  fi
fi
