#!/usr/bin/env bash
# Builds the Debian package of tba-wizard (release build) into target/release/bundle/deb/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh build
npx tauri build --bundles deb
ls -1 target/release/bundle/deb/*.deb
