#!/usr/bin/env bash
# Builds (incrementally) and opens the wizard. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build run
npm run --silent build:ui
cargo build -p tba-wizard
exec target/debug/tba-wizard "$@"
