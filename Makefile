# Agent Sandbox: a menu of verbs; the logic lives in dev/.
MVN ?= ./mvnw
CONFIG ?=
PREFIX ?= $(HOME)/.local
KIND_CLUSTER ?= sandbox-dev
CONTAINER_ENGINE ?= docker
KUBECTL ?= kubectl

.DEFAULT_GOAL := help
.PHONY: help build test it run install-cli fmt clean bench demo demo-record
.PHONY: kind-up kind-down image-base image-control-plane image-sidecar images deploy clean-sbx prepull

help: ## Show this menu
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

build: ## Build the control plane and the CLI (no tests)
	$(MVN) -B -q -DskipTests package

test: ## Run the whole test suite (no cluster, no Docker); says which tests it skipped and why
	@MVN="$(MVN)" dev/test.sh

it: ## Run the integration tests too (needs a Docker engine: k3s in a container)
	@MVN="$(MVN)" dev/test.sh -Pit

run: build ## Start the control plane on 127.0.0.1:8080 (CONFIG=path, SANDBOX_* variables honoured)
	@CONFIG="$(CONFIG)" dev/run.sh

install-cli: ## Install sbx into ~/.local/bin (PREFIX=/usr/local for another place)
	$(MVN) -B -q -DskipTests -pl cli package
	@dev/install-cli.sh "$(PREFIX)"

demo: ## Create a sandbox, run execs in it, delete it, against a running control plane (make run)
	@dev/demo.sh

demo-record: ## Record a real demo run into assets/demo.gif and assets/screenshot.png (tmux, ImageMagick)
	@dev/record-demo.sh

bench: ## Run the benchmarks (a few minutes; as root for the nsenter floor): bench/results/latest.md
	@dev/bench.sh

fmt: ## Format the Java sources (google-java-format through Spotless)
	$(MVN) -B -q spotless:apply

clean: ## Remove build output
	$(MVN) -B -q clean

# Kubernetes: the kind quickstart of docs/kubernetes.md. make run CONFIG=dev/config.yaml runs the
# control plane on this machine against it; make image-control-plane deploy runs it inside.

kind-up: ## Create the kind cluster sandbox-dev (KIND_CLUSTER=name) unless it exists
	@KIND_CLUSTER="$(KIND_CLUSTER)" dev/kind-up.sh

kind-down: ## Delete the kind cluster, with its sandboxes and images
	@KIND_CLUSTER="$(KIND_CLUSTER)" dev/kind-down.sh

image-base: ## Build the sandbox image sandbox-base:dev and load it into kind
	@CONTAINER_ENGINE="$(CONTAINER_ENGINE)" KIND_CLUSTER="$(KIND_CLUSTER)" dev/image.sh sandbox-base

image-control-plane: ## Build sbx-control-plane:dev (Maven runs inside) and load it into kind
	@CONTAINER_ENGINE="$(CONTAINER_ENGINE)" KIND_CLUSTER="$(KIND_CLUSTER)" dev/image.sh control-plane

image-sidecar: ## Build the stream sidecar sbx-stream-sidecar:dev (sidecar stream mode) and load it into kind
	@CONTAINER_ENGINE="$(CONTAINER_ENGINE)" KIND_CLUSTER="$(KIND_CLUSTER)" dev/image.sh stream-sidecar

images: image-base image-control-plane image-sidecar ## Build and load all three images

deploy: ## Run the control plane in kind at 127.0.0.1:18080 (token: Secret sbx-api-token)
	@KIND_CLUSTER="$(KIND_CLUSTER)" dev/deploy.sh

clean-sbx: ## Delete every sandbox namespace (label app.kubernetes.io/managed-by=sbx)
	@dev/clean-sbx.sh

prepull: ## Keep sandbox-base:dev on every node (DaemonSet kube-system/sbx-prepull)
	$(KUBECTL) apply -f dev/prepull.yaml
