#!/usr/bin/env bash
# usage: dev/bench.sh [--quick]
# The benchmark suite (make bench): builds, runs the Kubernetes runtime's benchmark against fabric8's
# mock API server, starts the real control plane (local runtime) on a free port with a temporary
# state folder, drives it with the load driver (bench/), and writes bench/results/latest.json and
# latest.md. Raw files (JFR recordings, hyperfine exports, logs) go to bench/results/tmp/.
# --quick runs every part for seconds only: it checks the suite works, its figures mean nothing,
# so its report goes to bench/results/tmp/ and the committed results stay as they are.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

quick=
case "${1:-}" in
  "") ;;
  --quick) quick=--quick ;;
  *) echo "usage: dev/bench.sh [--quick]" >&2; exit 2 ;;
esac
java=${JAVA:-java}
mvn=${MVN:-./mvnw}
tmp="$root/bench/results/tmp"
jdk25=/usr/lib/jvm/temurin-25-jdk-amd64

for tool in bwrap jcmd jstat; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (bubblewrap, a full JDK)" >&2; exit 2; }
done
if ! command -v hyperfine >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing hyperfine"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null ||
      echo "bench: could not install hyperfine; whole commands are timed from the JVM instead" >&2
  else
    echo "bench: hyperfine is missing (sudo apt-get install hyperfine); whole commands are timed" \
      "from the JVM instead, which adds its spawn cost" >&2
  fi
fi
[[ $(id -u) == 0 ]] ||
  echo "bench: not root: raw_join_spawn_p50_ms and hot_exec_ratio stay null (nsenter needs root)" >&2

rm -rf "$tmp"
mkdir -p "$tmp"
started=$SECONDS

echo "== build"
$mvn -B -q -DskipTests package

echo "== Kubernetes runtime against fabric8's mock API server"
$mvn -B -q -pl control-plane -am test -Dgroups=bench -Dbench.excludedGroups= -DhostsFile.skip=true \
  -Dbench.out="$tmp/kubernetes.json" >"$tmp/kubernetes.log" 2>&1 ||
  echo "bench: a mock-server benchmark failed (see $tmp/kubernetes.log); the fragments written" \
    "before that are still merged, the others' figures stay null" >&2

echo "== node's ws (the client wscat is built on), for the stream client matrix"
mkdir -p "$tmp/node"
npm install --prefix "$tmp/node" --no-audit --no-fund --silent ws@8.18.3 >"$tmp/npm.log" 2>&1 ||
  echo "bench: could not install node's ws (see $tmp/npm.log); the client matrix is skipped" >&2

echo "== local runtime"
source "$root/dev/jvm-flags.sh" # the flags make run starts the control plane with
# Copies, so that a rebuild in this tree while the suite runs cannot pull classes out from under it.
# The state folder's parent is 0711: as root, sandboxes run as nobody and must pass through it.
work=$(mktemp -d "${TMPDIR:-/tmp}/sbx-bench.XXXXXX")
chmod 711 "$work"
cp control-plane/target/control-plane.jar bench/target/sbx-bench.jar "$work/"
cp_pid=
stop_control_plane() {
  if [[ -n $cp_pid ]] && kill -0 "$cp_pid" 2>/dev/null; then
    kill "$cp_pid"
    wait "$cp_pid" 2>/dev/null || true
  fi
  cp_pid=
}
trap 'stop_control_plane; rm -rf "$work"' EXIT

# Native Memory Tracking (summary) costs a few MB and lets the report break the RSS down.
# The 1 GB stream is about 15,300 events and the control plane reads the output faster than it
# sends it: with the default subscriber queue (4096 events) the subscriber is closed with 4008,
# and a resume finds the events gone from the 8 MiB replay buffer. So the queue holds them all.
# A warm pool of two, as a site that wants fast creates sets it: create_to_first_exec measures a
# create the pool serves, cold_create_to_first_exec one it never does (a named id).
SERVER_PORT=0 SANDBOX_STATE_DIR="$work/state" SANDBOX_STREAM_SUBSCRIBER_QUEUE=32768 SANDBOX_WARM_POOL_SIZE=2 \
  "$java" "${CONTROL_PLANE_JVM_FLAGS[@]}" -XX:NativeMemoryTracking=summary -jar "$work/control-plane.jar" \
  >"$tmp/control-plane.log" 2>&1 &
cp_pid=$!
port=
for _ in $(seq 600); do
  port=$(sed -n 's/.*control-plane listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' \
    "$tmp/control-plane.log" | head -1)
  [[ -n $port ]] && break
  kill -0 "$cp_pid" 2>/dev/null || { cat "$tmp/control-plane.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n $port ]] || { echo "bench: the control plane did not start in 60 s" >&2; exit 1; }
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
grep -q '^ok' <&3 || { echo "bench: /healthz did not answer ok" >&2; exit 1; }
exec 3<&-
echo "control plane pid $cp_pid on port $port, state folder $work/state"

"$java" -jar "$work/sbx-bench.jar" run --url "http://127.0.0.1:$port" --pid "$cp_pid" \
  --state-dir "$work/state" --root "$root" --tmp "$tmp" $quick ||
  echo "bench: the load driver failed; what it measured is kept" >&2
stop_control_plane

if [[ -x $jdk25/bin/jfr ]]; then
  # jfr view (JDK 21+) reads recordings made by 17: a second opinion next to the driver's digest.
  for recording in "$tmp"/profile-*.jfr; do
    [[ -f $recording ]] || continue
    for view in hot-methods allocation-by-site; do
      "$jdk25/bin/jfr" view --width 140 "$view" "$recording" \
        >"${recording%.jfr}.$view.view.txt" 2>&1 || true
    done
  done
fi

out="$root/bench/results"
[[ -z $quick ]] || out="$tmp"
"$java" -jar "$work/sbx-bench.jar" report --tmp "$tmp" --out "$out" \
  --notes "$root/bench/profile-notes.md"
echo "== done in $((SECONDS - started)) s: ${out#"$root/"}/latest.md"
sed -n '/^## Targets/,/^## Figures/p' "$out/latest.md" | sed '$d'
