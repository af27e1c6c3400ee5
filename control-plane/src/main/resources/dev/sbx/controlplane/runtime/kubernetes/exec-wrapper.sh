# Runs one exec in the sandbox container (POSIX sh), called as
#   sh -c "$this" sbx-exec <exec_id> <cwd> <env count> <stdin bytes> [NAME=value...] program [args...]
# where <stdin bytes> is "tty" for a pod exec on a terminal (tty=true): the program then reads what
# is typed, and its stderr, like the start report, goes to the terminal with its stdout.
# Pod exec has no cwd, env or end-of-stdin of its own, and closing its stream kills nothing, so:
# it changes directory, sets the env, marks every process with SBX_EXEC_ID (so a second exec can
# find and kill them all), reads exactly <stdin bytes> of stdin for the program, and tells the
# control plane on stderr's first line whether the program started: "sbx:started" or "sbx:cwd".
# While the program runs, /tmp/.sbx-execs/<exec_id> holds its argv, so that a restarted control
# plane can tell which execs it lost; this shell stays to remove it when the program ends.
id=$1 cwd=$2 n=$3 stdin=$4
shift 4
# An image with no passwd entry for the sandbox's uid leaves HOME at / (ubuntu:22.04 as uid
# 1000), where git config --global, pip, npm and go caches and shell history cannot write: the
# pod's volume at /home/sbx stands in. A HOME from the image or the request is kept.
case ${HOME:-/} in /) export HOME=/home/sbx XDG_CACHE_HOME="${XDG_CACHE_HOME:-/cache}" ;; esac
while [ "$n" -gt 0 ]; do
  export "$1"
  shift
  n=$((n - 1))
done
if ! cd "$cwd" 2>/dev/null; then
  echo "sbx:cwd" >&2
  exit 126
fi
echo "sbx:started" >&2
export SBX_EXEC_ID="$id"
if ! command -v "$1" >/dev/null 2>&1; then
  echo "sbx: $1: command not found" >&2
  exit 127
fi
markers=/tmp/.sbx-execs
# Grouped: a redirection that fails reports to the stderr it had, so a /tmp this user may not
# write (another user's marker folder, a read-only image) must not print into the exec's stderr.
{ mkdir -p "$markers" && printf '%s\0' "$@" >"$markers/$id"; } 2>/dev/null
# A TERM for the exec must not stop this shell before it cleans up; a handler (not an ignore,
# which the program would inherit) lets it wait for the program and go on.
trap 'true' TERM INT HUP
if [ "$stdin" = tty ]; then
  "$@"
elif [ "$stdin" -gt 0 ]; then
  head -c "$stdin" | "$@"
else
  "$@" </dev/null
fi
status=$?
rm -f "$markers/$id"
exit "$status"
