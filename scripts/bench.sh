#!/usr/bin/env bash
# Prints tba-wizard's launch-to-ready time and memory next to a minimal Tauri window's, as ratios, and
# when its home screen's data arrives with no saved connection and with 400; the command line's test call
# next to curl fetching the same URL from the NetSuite stand-in, and its start next to the desktop
# binary's; `connections list` and `test --all` with 20 and with 400 saved connections; and the time to
# sign one request.
# Usage: scripts/bench.sh [--release] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
profile=debug cargo_flags=()
if [ "${1:-}" = "--release" ]; then profile=release cargo_flags=(--release); shift; fi
bash scripts/setup.sh test >/dev/null
npm run --silent build:ui
cargo build --quiet "${cargo_flags[@]}" -p tba-wizard -p tba-wizard-cli -p tba-bench-minimal
cargo build --quiet "${cargo_flags[@]}" -p tba-engine --example sign_speed
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# A private config folder, so the benchmark opens on the start screen and touches no saved data.
export TBA_WIZARD_CONFIG_DIR="$scratch/config"
xvfb-run -a -s "-screen 0 1280x800x24" scripts/with-keyring.sh \
  .venv/bin/python bench/startup_memory.py --app "target/$profile/tba-wizard" --minimal "target/$profile/tba-bench-minimal" \
  --cli "target/$profile/tba-wizard-cli" "$@"
echo
.venv/bin/python bench/cli_speed.py --cli "target/$profile/tba-wizard-cli" --desktop "target/$profile/tba-wizard" "$@"
echo
# Its own keyrings (one per set of connections), so no D-Bus session is needed around it.
.venv/bin/python bench/connections_scale.py --cli "target/$profile/tba-wizard-cli" "$@"
echo
"target/$profile/examples/sign_speed"
