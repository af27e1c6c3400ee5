# Starts one exec in the sandbox container apart from the pod exec (sidecar mode; POSIX sh),
# called as
#   sh -c "$this" sbx-exec <exec_id> <cwd> <events dir> <env count> <stdin bytes> [NAME=value...]
#     program [args...]
# Like exec-wrapper.sh it applies cwd and env, marks every process with SBX_EXEC_ID and reports
# "sbx:started" or "sbx:cwd" on stderr's first line. Then the program runs in the background,
# its arguments passed as given (never through a shell string), with its output going to
# <dir>/<id>.stdout and .stderr, and its exit status written to <dir>/<id>.exit (through a
# rename, so the sidecar never reads half of it) once it ended; this shell returns at once. The
# program outlives this pod exec and the control plane; the stream sidecar sends its output on.
id=$1 cwd=$2 dir=$3 n=$4 stdin=$5
shift 5
# From here to the cd, exec-wrapper.sh's lines: each script goes whole to sh -c in the pod, with
# no file beside it to source (the duplicates tool reports the pair).
# HOME as in exec-wrapper.sh: the pod's /home/sbx where the image leaves it at /.
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
mkdir -p "$dir"
out="$dir/$id.stdout" err="$dir/$id.stderr" input=/dev/null
if [ "$stdin" -gt 0 ]; then
  input="$dir/$id.stdin"
  head -c "$stdin" >"$input"
fi
: >"$out"
: >"$err"
echo "sbx:started" >&2
export SBX_EXEC_ID="$id"
(
  # A TERM for the exec must not stop this shell before it writes the status; a handler (not an
  # ignore, which the program would inherit) lets it go on.
  trap 'true' TERM INT HUP
  if command -v "$1" >/dev/null 2>&1; then
    "$@" <"$input" >>"$out" 2>>"$err"
    status=$?
  else
    echo "sbx: $1: command not found" >>"$err"
    status=127
  fi
  [ "$input" = /dev/null ] || rm -f "$input"
  echo "$status" >"$dir/$id.exit.tmp" && mv "$dir/$id.exit.tmp" "$dir/$id.exit"
) </dev/null >/dev/null 2>&1 &
exit 0
