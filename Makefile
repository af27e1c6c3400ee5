# Agent Sandbox: a menu of verbs; the logic lives in dev/.
MVN ?= ./mvnw
CONFIG ?=
PREFIX ?= $(HOME)/.local

.DEFAULT_GOAL := help
.PHONY: help build test run install-cli fmt clean

help: ## Show this menu
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: ## Build the control plane and the CLI (no tests)
	$(MVN) -B -q -DskipTests package

test: ## Run the whole test suite (no cluster, no Docker; needs bubblewrap)
	$(MVN) -B verify

run: build ## Start the control plane on 127.0.0.1:8080 (CONFIG=path, SANDBOX_* variables honoured)
	@CONFIG="$(CONFIG)" dev/run.sh

install-cli: ## Install sbx into ~/.local/bin (PREFIX=/usr/local for another place)
	$(MVN) -B -q -DskipTests -pl cli package
	@dev/install-cli.sh "$(PREFIX)"

fmt: ## Format the Java sources (google-java-format through Spotless)
	$(MVN) -B -q spotless:apply

clean: ## Remove build output
	$(MVN) -B -q clean
