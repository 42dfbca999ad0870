#!/usr/bin/env bash
# Runs every test of tba-wizard: formatting, lints and type checks, the Rust tests, the command-line
# tests against the NetSuite stand-in, the signer's conformance run against oauthlib, and the
# end-to-end tests of the real window under Xvfb. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

# Each stage says how long the command has run so far, so that where the time goes is in every log.
step() { printf '\n==> %s (at %d s)\n' "$*" "$SECONDS"; }

step "setup"
bash scripts/setup.sh test

step "UI: type check and build"
npm run --silent typecheck
npm run --silent build:ui

step "UI: no markup from strings, no inline style, no on* attribute (the CSP promise, in the source)"
.venv/bin/python tests/ui_csp_scan.py

step "Rust: format"
cargo fmt --all -- --check

# Clippy's lints in the same compilation as the build and the tests' build. `cargo clippy` is `cargo
# check` with clippy-driver standing in for rustc on the workspace's own crates, and a check compiles
# every dependency once more, in a mode no build can reuse (5 of a fresh run's 22 minutes). clippy-driver
# builds as well: it is rustc with Clippy's lints registered (and MIR optimisations off, which leaves
# the work to LLVM), and `cargo clippy` hands it its arguments through CLIPPY_ARGS exactly so. Only
# this command's debug binaries go through it; `cargo clippy --workspace --all-targets -- -D warnings`
# finds the same lints in an editor.
export RUSTC_WORKSPACE_WRAPPER
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
step "Rust: build with Clippy's lints (every target of the workspace)"
cargo build --workspace --all-targets --quiet
export TBA_WIZARD_BIN="$PWD/target/debug/tba-wizard"
export TBA_WIZARD_CLI_BIN="$PWD/target/debug/tba-wizard-cli"
step "The Debian package, from the debug build"
bash scripts/package.sh --debug

# Nothing a test does may touch the real user's saved connections.
export TBA_WIZARD_CONFIG_DIR="$PWD/test-output/config"
export TBA_WIZARD_LOG_DIR="$PWD/test-output/logs"
rm -rf test-output && mkdir -p test-output

# About a third of the machine waits (on the window, the keyring, the stand-in) while these tests run:
# two halves of about equal time (pytest-split, from tests/durations.json) run side by side, each in a
# world of its own (display, D-Bus session, keyring, config and log folders). A test that two halves
# could disturb in each other is a bug of that test. `--store-durations` refreshes the file.
half() {
  local n=$1
  mkdir -p "test-output/half-$n"
  TBA_WIZARD_TEST_PART="$n" \
    TBA_WIZARD_CONFIG_DIR="$PWD/test-output/half-$n/config" TBA_WIZARD_LOG_DIR="$PWD/test-output/half-$n/logs" \
    xvfb-run -a -n $((80 + 10 * n)) -s "-screen 0 1280x800x24" scripts/with-keyring.sh \
    .venv/bin/pytest tests -q -p no:cacheprovider --durations=10 --splits 2 --group "$n" \
    --splitting-algorithm least_duration --durations-path tests/durations.json
}

# The Rust tests (real Secret Service in a private D-Bus session, clipboard on Xvfb) wait on their
# stand-ins and timeouts more than they compute: they run beside the two halves, in a world of their own
# too (display 110 and up, D-Bus session, keyring), from the binaries the build made already.
step "Rust tests, and the stand-in, command line, conformance, keyring and end-to-end tests in two halves, all at once (Xvfb, private D-Bus sessions and keyrings)"
# The Wayland clipboard's test needs a compositor (a headless sway) beside its X server, so it runs
# after them, on its own.
rust_tests() {
  local status=0
  xvfb-run -a -n 110 -s "-screen 0 1280x800x24" scripts/with-keyring.sh cargo test --quiet || status=$?
  echo "==> the clipboard on Wayland (headless sway), then on X11 where Wayland has none"
  xvfb-run -a -n 130 scripts/with-wayland.sh \
    cargo test --quiet -p tba-engine --test clipboard_wayland -- --ignored || status=$?
  return "$status"
}
rust_tests > test-output/cargo-test.log 2>&1 &
rust=$!
half 2 > test-output/half-2.log 2>&1 &
second=$!
rust_status=0 first_status=0 second_status=0
half 1 || first_status=$?
wait "$second" || second_status=$?
wait "$rust" || rust_status=$?
step "the Rust tests' output"
cat test-output/cargo-test.log
step "the second half's output"
cat test-output/half-2.log
step "done: Rust tests exit $rust_status, first half exit $first_status, second half exit $second_status"
[ "$rust_status" = 0 ] && [ "$first_status" = 0 ] && [ "$second_status" = 0 ]
