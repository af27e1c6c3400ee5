#!/usr/bin/env bash
# usage: dev/clean-sbx.sh   (KUBE_CONTEXT=context for another than the current kubectl context)
# Deletes every sandbox namespace: those labelled app.kubernetes.io/managed-by=sbx, never by name,
# so namespaces that only look like ours stay. Returns at once; Kubernetes removes them after.
set -euo pipefail
command -v kubectl >/dev/null || { echo "clean-sbx: kubectl is not installed" >&2; exit 2; }
context=${KUBE_CONTEXT:-$(kubectl config current-context)}
echo "clean-sbx: deleting the namespaces labelled app.kubernetes.io/managed-by=sbx in $context"
kubectl --context "$context" delete namespace -l app.kubernetes.io/managed-by=sbx --wait=false
