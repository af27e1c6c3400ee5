#!/usr/bin/env bash
# usage: CONFIG=path/to/config.yaml dev/run.sh
# Starts the built control plane in the foreground. SANDBOX_* variables in the environment are
# passed on and beat the CONFIG file; Ctrl-C stops it (and every sandbox's processes with it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -n ${CONFIG:-} ]]; then
  [[ -f $CONFIG ]] || { echo "run: CONFIG=$CONFIG: no such file" >&2; exit 2; }
  export SANDBOX_CONFIG="$(cd "$(dirname "$CONFIG")" && pwd)/$(basename "$CONFIG")"
fi
# Run a copy, so that rebuilding while it runs (make build, make test) cannot pull classes out
# from under it.
jar=$(mktemp "${TMPDIR:-/tmp}/sbx-control-plane.XXXXXX.jar")
trap 'rm -f "$jar"' EXIT
cp "$root/control-plane/target/control-plane.jar" "$jar"
source "$root/dev/jvm-flags.sh"
# Sandbox limits need a cgroup the control plane may write. An ordinary user under systemd (most
# laptops: cgroup v2) gets one from a scope with Delegate=yes; elsewhere the control plane says at
# start-up which limits it cannot enforce.
launcher=()
if [[ $(id -u) != 0 && -z ${SANDBOX_CGROUP_ROOT:-} && -f /sys/fs/cgroup/cgroup.controllers ]] &&
  command -v systemd-run >/dev/null; then
  own=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
  if [[ ! -w /sys/fs/cgroup${own%/}/cgroup.subtree_control ]] &&
    systemd-run --user --scope --quiet true 2>/dev/null; then
    launcher=(systemd-run --user --scope --quiet -p Delegate=yes --)
  fi
fi
"${launcher[@]}" "${JAVA:-java}" "${CONTROL_PLANE_JVM_FLAGS[@]}" -jar "$jar" "$@"
