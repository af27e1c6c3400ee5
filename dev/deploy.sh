#!/usr/bin/env bash
# usage: dev/deploy.sh   (KIND_CLUSTER=name, or KUBE_CONTEXT=context, for another cluster)
# Runs the control plane in the kind cluster: applies deploy/kind, with an API token Secret made
# on first use (kept afterwards), waits until the control plane is ready and says how to reach it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cluster=${KIND_CLUSTER:-sandbox-dev}
context=${KUBE_CONTEXT:-kind-$cluster}
ns=sbx-system
for tool in kubectl openssl; do
  command -v "$tool" >/dev/null || { echo "deploy: $tool is not installed" >&2; exit 2; }
done
kubectl config get-contexts "$context" >/dev/null 2>&1 || {
  echo "deploy: no kubectl context $context: run 'make kind-up' first" >&2
  exit 2
}
k() { kubectl --context "$context" "$@"; }

# The namespace and the Secret first, so the pod never starts without its token.
k apply -f "$root/deploy/kind/namespace.yaml"
if ! k -n "$ns" get secret sbx-api-token >/dev/null 2>&1; then
  # Through stdin, so the token never shows in a process list.
  openssl rand -hex 24 | tr -d '\n' |
    k -n "$ns" create secret generic sbx-api-token --from-file=token=/dev/stdin
fi
k apply -k "$root/deploy/kind"
k -n "$ns" rollout status deployment/sbx-control-plane --timeout=180s || {
  echo "deploy: the control plane is not ready; see" \
    "kubectl --context $context -n $ns describe pod -l app.kubernetes.io/name=sbx-control-plane" \
    "(is the image loaded? make image-control-plane)" >&2
  exit 1
}
cat <<EOT

The control plane runs in $context at http://127.0.0.1:18080 and wants its token:

  export SBX_ADDR=http://127.0.0.1:18080
  export SBX_TOKEN="\$(kubectl --context $context -n $ns get secret sbx-api-token -o jsonpath='{.data.token}' | base64 -d)"
  bin/sbx create
EOT
