#!/usr/bin/env bash
# usage: dev/kind-up.sh   (KIND_CLUSTER=name for another cluster than sandbox-dev)
# Creates the kind cluster from deploy/kind/cluster.yaml unless it exists, then shows it. kind
# makes kind-<cluster> the current kubectl context.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cluster=${KIND_CLUSTER:-sandbox-dev}
command -v kind >/dev/null || {
  echo "kind-up: kind is not installed: see https://kind.sigs.k8s.io/docs/user/quick-start/#installation" >&2
  exit 2
}
# Read whole, not piped into grep -q: with pipefail an early grep exit could fail the pipe.
has_cluster() { grep -qx -- "$cluster" <<<"$(kind get clusters 2>/dev/null)"; }
command -v kubectl >/dev/null || {
  echo "kind-up: kubectl is not installed: see https://kubernetes.io/docs/tasks/tools/" >&2
  exit 2
}
if has_cluster; then
  echo "kind-up: cluster $cluster exists already"
else
  kind create cluster --name "$cluster" --config "$root/deploy/kind/cluster.yaml"
fi
kubectl cluster-info --context "kind-$cluster"
