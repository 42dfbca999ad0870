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
# The command line goes into the package beside the window (/usr/bin/tba-wizard-cli); tauri builds only
# the window's binary, so it is built first, with the same profile.
# In debug, built beside the window as the test command builds them: alone, the command line unifies its
# dependencies' features differently, and a fresh run compiled half the tree again for it (about 2 minutes).
cargo_flags=(--release -p tba-wizard-cli); [ "$profile" = debug ] && cargo_flags=(-p tba-wizard -p tba-wizard-cli)
cargo build "${cargo_flags[@]}" --quiet
# Its shell completions and man page, made by the command line itself from its clap definitions.
share="target/$profile/share"
mkdir -p "$share"
cli="target/$profile/tba-wizard-cli"
"$cli" completion bash > "$share/tba-wizard-cli.bash"
"$cli" completion zsh > "$share/_tba-wizard-cli"
"$cli" completion fish > "$share/tba-wizard-cli.fish"
"$cli" man | gzip -9n > "$share/tba-wizard-cli.1.gz"
files=(
  "/usr/bin/tba-wizard-cli" "../$cli"
  "/usr/share/bash-completion/completions/tba-wizard-cli" "../$share/tba-wizard-cli.bash"
  "/usr/share/zsh/vendor-completions/_tba-wizard-cli" "../$share/_tba-wizard-cli"
  "/usr/share/fish/vendor_completions.d/tba-wizard-cli.fish" "../$share/tba-wizard-cli.fish"
  "/usr/share/man/man1/tba-wizard-cli.1.gz" "../$share/tba-wizard-cli.1.gz"
)
entries=()
for ((i = 0; i < ${#files[@]}; i += 2)); do entries+=("\"${files[i]}\":\"${files[i+1]}\""); done
cli_file="{\"bundle\":{\"linux\":{\"deb\":{\"files\":{$(IFS=,; echo "${entries[*]}")}}}}}"
npx tauri build "${flags[@]}" --bundles deb --config "$cli_file"
ls -1 "target/$profile/bundle/deb/"*.deb
