#!/usr/bin/env bash
# usage: dev/demo.sh
# The demo (make demo), against a running control plane ($SBX_ADDR, else http://127.0.0.1:8080;
# $SBX_TOKEN when it wants one): creates a sandbox, runs execs in it, lists it and deletes it with
# bin/sbx, each command shown before it runs. The sandbox is deleted even when a step fails.
# DEMO_PAUSE=seconds waits before each command (dev/record-demo.sh sets it for the recording).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[[ $# == 0 ]] || { echo "usage: dev/demo.sh" >&2; exit 2; }
export PATH="$root/bin:$PATH"
export SBX_ADDR="${SBX_ADDR:-http://127.0.0.1:8080}"
pause=${DEMO_PAUSE:-0}

command -v curl >/dev/null || { echo "demo: curl is missing (apt-get install curl)" >&2; exit 2; }
auth=()
[[ -z ${SBX_TOKEN:-} ]] || auth=(-H "Authorization: Bearer $SBX_TOKEN")
status=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "${auth[@]}" "$SBX_ADDR/healthz") || true
case $status in
  200) ;;
  401) echo "demo: the control plane at $SBX_ADDR wants a token: set SBX_TOKEN" >&2; exit 1 ;;
  *)
    echo "demo: no control plane answers at $SBX_ADDR: start one with make run (or set SBX_ADDR)" >&2
    exit 1
    ;;
esac

id=
cleanup() {
  [[ -n $id ]] || return 0
  sbx delete -id "$id" >/dev/null 2>&1 || echo "demo: could not delete $id: sbx delete -id $id" >&2
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Shows a command as typed at a prompt; the caller then runs exactly that command.
prompt() {
  sleep "$pause"
  if [[ -t 1 ]]; then
    printf '\033[1;32m$\033[0m \033[1m%s\033[0m\n' "$1"
  else
    printf '$ %s\n' "$1"
  fi
}

prompt "sbx version"
sbx version

prompt "sbx create"
created=$(sbx create)
echo "$created"
id=$(sed -n 's/^id=\([^ ]*\).*/\1/p' <<<"$created")
[[ -n $id ]] || { echo "demo: no id in the output of sbx create" >&2; exit 1; }

# shellcheck disable=SC2016  # the sandbox's bash expands these, not this one
count='for i in {1..5}; do echo "step $i: $(date +%T.%3N)"; sleep 0.5; done'
prompt "sbx exec -id $id -- bash -c '$count'"
sbx exec -id "$id" -- bash -c "$count"

confined='id; echo /*; getent hosts example.com || echo "no network"'
prompt "sbx exec -id $id -- bash -c '$confined'"
sbx exec -id "$id" -- bash -c "$confined"

prompt "sbx exec -id $id -- bash -c 'echo bye; exit 3'; echo \"exit code \$?\""
code=0
sbx exec -id "$id" -- bash -c 'echo bye; exit 3' || code=$?
echo "exit code $code"

prompt "sbx list"
sbx list

prompt "sbx delete -id $id"
sbx delete -id "$id"
id=
