#!/usr/bin/env bash
# Runs a command beside a headless wlroots compositor (sway, with the data-control protocol KDE and the
# wlroots desktops have), with WAYLAND_DISPLAY pointing at it. DISPLAY is left as it is: a test can
# check that the X11 clipboard (through XWayland on a real desktop) is the way out where Wayland's is
# not. Sway refuses to run as root, so as root it runs as an unprivileged user made for it here.
# Usage: scripts/with-wayland.sh COMMAND [ARGS...]
set -euo pipefail
command -v sway >/dev/null || { echo "with-wayland: sway is not installed (scripts/setup.sh test installs it)" >&2; exit 1; }
runtime=$(mktemp -d -t tba-wayland.XXXXXX)
chmod 700 "$runtime"
conf="$runtime.conf"
printf 'output HEADLESS-1 resolution 800x600\n' > "$conf"
chmod 644 "$conf"
as=()
if [ "$(id -u)" = 0 ]; then
  id tba-wayland >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin tba-wayland
  chown tba-wayland "$runtime"
  as=(runuser -u tba-wayland --)
fi
"${as[@]}" env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$runtime" WLR_BACKENDS=headless WLR_RENDERER=pixman \
  WLR_LIBINPUT_NO_DEVICES=1 XDG_CACHE_HOME="$runtime" sway -c "$conf" >"$runtime.log" 2>&1 &
sway_pid=$!
# The command's own exit status is the script's: sway's, once it is stopped, is not (kill makes it 143).
stop_sway() {
  local status=$?
  kill "$sway_pid" 2>/dev/null || true
  wait "$sway_pid" 2>/dev/null || true
  rm -rf "$runtime" "$conf" "$runtime.log"
  exit "$status"
}
trap stop_sway EXIT
for _ in $(seq 100); do
  socket=$(find "$runtime" -maxdepth 1 -name 'wayland-*' -type s -print -quit 2>/dev/null || true)
  [ -n "$socket" ] && break
  kill -0 "$sway_pid" 2>/dev/null || { echo "with-wayland: sway did not start:" >&2; cat "$runtime.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$socket" ] || { echo "with-wayland: sway opened no socket in 10 s" >&2; cat "$runtime.log" >&2; exit 1; }
export XDG_RUNTIME_DIR="$runtime" WAYLAND_DISPLAY="${socket##*/}"
"$@"
