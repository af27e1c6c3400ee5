#!/usr/bin/env bash
# usage: dev/kind-down.sh   (KIND_CLUSTER=name for another cluster than sandbox-dev)
# Deletes the kind cluster, and with it every sandbox and image loaded into it.
set -euo pipefail
cluster=${KIND_CLUSTER:-sandbox-dev}
command -v kind >/dev/null || {
  echo "kind-down: kind is not installed: see https://kind.sigs.k8s.io/docs/user/quick-start/#installation" >&2
  exit 2
}
# Read whole, not piped into grep -q: with pipefail an early grep exit could fail the pipe.
has_cluster() { grep -qx -- "$cluster" <<<"$(kind get clusters 2>/dev/null)"; }
if has_cluster; then
  kind delete cluster --name "$cluster"
else
  echo "kind-down: no kind cluster $cluster"
fi
