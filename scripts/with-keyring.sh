#!/usr/bin/env bash
# Runs a command inside a new D-Bus session with an unlocked gnome-keyring Secret Service whose data
# lives in a throw-away folder, so tests use a real keyring without touching the user's own.
# Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
if [ -z "${TBA_KEYRING_SESSION:-}" ]; then
  exec dbus-run-session -- env TBA_KEYRING_SESSION=1 bash "$0" "$@"
fi
scratch=$(mktemp -d -t tba-keyring.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data"
mkdir -p "$XDG_DATA_HOME"
# The password only protects this throw-away keyring; --unlock creates and unlocks its login collection.
printf %s "tba-wizard-tests" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
export TBA_WIZARD_REAL_KEYRING=1
"$@"
