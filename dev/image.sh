#!/usr/bin/env bash
# usage: dev/image.sh sandbox-base|control-plane|stream-sidecar
#   (CONTAINER_ENGINE=podman, KIND_CLUSTER=name)
# Builds sandbox-base:dev (images/sandbox-base), sbx-control-plane:dev or sbx-stream-sidecar:dev
# (images/control-plane, images/stream-sidecar, with the repository as context: the Maven build
# runs inside) and loads it into the kind cluster, where pods find it without a registry.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
engine=${CONTAINER_ENGINE:-docker}
cluster=${KIND_CLUSTER:-sandbox-dev}
case ${1:-} in
  sandbox-base) image=sandbox-base:dev dockerfile=$root/images/sandbox-base/Dockerfile context=$root/images/sandbox-base ;;
  control-plane) image=sbx-control-plane:dev dockerfile=$root/images/control-plane/Dockerfile context=$root ;;
  stream-sidecar) image=sbx-stream-sidecar:dev dockerfile=$root/images/stream-sidecar/Dockerfile context=$root ;;
  *) echo "usage: dev/image.sh sandbox-base|control-plane|stream-sidecar" >&2; exit 2 ;;
esac
command -v "$engine" >/dev/null || {
  echo "image: $engine is not installed (CONTAINER_ENGINE=$engine): see https://docs.docker.com/engine/install/" >&2
  exit 2
}
command -v kind >/dev/null || {
  echo "image: kind is not installed: see https://kind.sigs.k8s.io/docs/user/quick-start/#installation" >&2
  exit 2
}
# Read whole, not piped into grep -q: with pipefail an early grep exit could fail the pipe.
has_cluster() { grep -qx -- "$cluster" <<<"$(kind get clusters 2>/dev/null)"; }
# Checked before a build that may take minutes.
has_cluster || {
  echo "image: no kind cluster $cluster to load $image into: run 'make kind-up' first" >&2
  exit 2
}

# The full name, so that an engine which would otherwise prefix short names (podman: localhost/)
# produces the name the pods ask for.
# No provenance or SBOM attestations: Docker Engine 29+ with the containerd image store, and Docker
# Desktop, attach them by default, and an image with attestations is an index that
# `kind load docker-image` cannot import ("content digest ... not found"). podman attaches none.
attestations=()
if [[ $engine == docker ]]; then
  attestations=(--provenance=false --sbom=false)
fi
"$engine" build ${attestations[@]+"${attestations[@]}"} -t "docker.io/library/$image" -f "$dockerfile" "$context"
if [[ $engine == docker ]]; then
  kind load docker-image "$image" --name "$cluster"
else
  archive=$(mktemp "${TMPDIR:-/tmp}/sbx-image.XXXXXX.tar")
  trap 'rm -f "$archive"' EXIT
  "$engine" save -o "$archive" "docker.io/library/$image"
  kind load image-archive "$archive" --name "$cluster"
fi
echo "image: $image is loaded into kind cluster $cluster"
