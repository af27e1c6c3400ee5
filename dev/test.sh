#!/usr/bin/env bash
# usage: dev/test.sh [maven arguments...]
# make test: the whole suite (./mvnw verify), then the tests this machine skipped and why. Without
# bubblewrap (macOS, a container without it) the tests that run real local sandboxes are skipped
# and everything else runs.
set -uo pipefail
cd "$(dirname "$0")/.."
report=control-plane/target/skipped-tests.txt
rm -f "$report"
status=0
${MVN:-./mvnw} -B verify "$@" || status=$?
if [[ -s $report ]]; then
  echo "== skipped on this machine ($(wc -l <"$report") classes or tests):"
  sed 's/^/   /' "$report"
fi
exit "$status"
