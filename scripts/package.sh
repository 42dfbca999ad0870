#!/usr/bin/env bash
# Builds the Debian package of tba-wizard into target/release/bundle/deb/ (or, with --debug, from the
# debug build into target/debug/bundle/deb/, which the test run uses to check packaging quickly).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh build
flags=()
profile=release
if [ "${1:-}" = "--debug" ]; then flags=(--debug); profile=debug; fi
npx tauri build "${flags[@]}" --bundles deb
ls -1 "target/$profile/bundle/deb/"*.deb
