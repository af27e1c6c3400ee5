#!/usr/bin/env bash
# usage: dev/delegate-cgroup.sh USER -- COMMAND [ARGS...]   (as root)
# Runs COMMAND in a cgroup delegated to USER, the way systemd's Delegate=yes does for a user's
# session on a laptop: USER may make cgroups under it and set their limits, so a control plane
# that USER runs there enforces sandbox limits (memory, pids, cpu). cgroup v1 (a hierarchy per
# controller, as on this project's CI machines) and v2 are both handled. The cgroups are removed
# when COMMAND ends.
set -euo pipefail
user=${1:?usage: dev/delegate-cgroup.sh USER -- COMMAND...}
shift
[[ ${1:-} == -- ]] && shift
(($#)) || { echo "usage: dev/delegate-cgroup.sh USER -- COMMAND..." >&2; exit 2; }
[[ $(id -u) == 0 ]] || { echo "delegate-cgroup: run it as root" >&2; exit 2; }
name="sbx-delegated-$user"

dirs=()   # the delegated cgroups
homes=()  # the cgroup.procs this shell came from, to go back to before removing them
# mountinfo: ... mount-point options [optional...] - type source super-options
mounts() { awk '{for (i = 7; i <= NF; i++) if ($i == "-") {print $(i+1), $5, $(i+3); break}}' \
  /proc/self/mountinfo; }
v2=$(mounts | awk '$1 == "cgroup2" {print $2; exit}')
v1_controllers=0
for controller in memory pids cpu cpuacct; do
  mount=$(mounts | awk -v c="$controller" '$1 == "cgroup" && ("," $3 ",") ~ ("," c ",") {print $2; exit}')
  [[ -n $mount ]] || continue
  v1_controllers=$((v1_controllers + 1))
  own=$(awk -F: -v c="$controller" '("," $2 ",") ~ ("," c ",") {print $3; exit}' /proc/self/cgroup)
  # At the same place in every hierarchy, so that one SANDBOX_CGROUP_ROOT (/sbx-delegated-USER)
  # names it too.
  dir="$mount/$name"
  [[ " ${dirs[*]:-} " == *" $dir "* ]] && continue
  mkdir -p "$dir"
  chown -R "$user" "$dir"
  dirs+=("$dir")
  homes+=("$mount${own%/}/cgroup.procs")
done
if ((v1_controllers == 0)) && [[ -n $v2 ]]; then
  # v2: a cgroup with processes cannot pass controllers on, except the root: delegate a child of
  # the root, with the controllers enabled for it, and hand over the files systemd hands over.
  own=$(awk -F: '$1 == "0" {print $3; exit}' /proc/self/cgroup)
  dir="$v2/$name"
  mkdir -p "$dir"
  for controller in memory pids cpu; do
    grep -qw "$controller" "$v2/cgroup.controllers" &&
      echo "+$controller" >"$v2/cgroup.subtree_control" || true
  done
  chown "$user" "$dir" "$dir/cgroup.procs" "$dir/cgroup.subtree_control" "$dir/cgroup.threads"
  dirs+=("$dir")
  homes+=("$v2${own%/}/cgroup.procs")
fi
((${#dirs[@]})) || { echo "delegate-cgroup: no cgroup hierarchy to delegate" >&2; exit 1; }

cleanup() {
  for home in "${homes[@]}"; do echo $$ >"$home" 2>/dev/null || true; done
  for dir in "${dirs[@]}"; do
    find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}
trap cleanup EXIT
for dir in "${dirs[@]}"; do echo $$ >"$dir/cgroup.procs"; done
echo "delegate-cgroup: running as $user in ${dirs[*]}" >&2
status=0
"$@" || status=$?
exit "$status"
