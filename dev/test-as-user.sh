#!/usr/bin/env bash
# usage: dev/test-as-user.sh USER   (as root)
# Runs `make test` again as an ordinary user, created if missing, on a copy of this clone: the
# local runtime must behave the same for a control plane run by root and by a normal user. The
# user gets a delegated cgroup (dev/delegate-cgroup.sh), as systemd gives one on a laptop, so
# that sandbox limits are enforced and tested in this run too.
set -euo pipefail
user=${1:?usage: dev/test-as-user.sh USER}
[[ $(id -u) == 0 ]] || { echo "test-as-user: run it as root" >&2; exit 2; }
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
src="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d /tmp/sbx-test-as-user.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$src" --exclude=./cli/target --exclude=./control-plane/target -cf - . | tar -C "$work" -xf -
chown -R "$user": "$work"
home=$(getent passwd "$user" | cut -d: -f6)
bash "$src/dev/delegate-cgroup.sh" "$user" -- \
  runuser -u "$user" -- env -i HOME="$home" PATH="$PATH" CI="${CI:-}" \
  MAVEN_USER_HOME="${MAVEN_USER_HOME:-$home/.m2}" MAVEN_OPTS="${MAVEN_OPTS:-}" \
  bash -c 'cd "$1" && make test' _ "$work"
