# sbx-init: the first process of a local sandbox (pid 1 of its pid namespace), where the build had
# no C compiler for the native one (src/main/c/sbx-init.c, same protocol). Started by bwrap
# from an execute-only copy of bash, so that no command of the sandbox can open its descriptors
# through /proc. It starts commands when the control plane asks, so that every exec shares this
# sandbox's namespaces, files and processes; as pid 1 it also reaps what they leave behind.
#
# The control plane writes <exec_id>.req into /run/sbx/x (NUL-separated: working directory,
# number of env entries, the NAME=value entries, then the program and its arguments) and a line
# on our stdin:   r <exec_id> [i]      (i: stdin comes from <exec_id>.in)
# We answer on stdout, one line each:
#   ready                  we take requests
#   s <exec_id> <pid>      the command started
#   e <exec_id> <what>     it did not start: "cwd" (no such directory) or "request"
#   x <exec_id> <status>   it ended
# The command's output goes to <exec_id>.out and <exec_id>.err, which the control plane made and
# tails. The control plane reads each report line with a small cap; anything else on stdout ends
# this sandbox's run as a protocol violation.
# Every process it starts inherits SBX_EXEC_ID, so the control plane can find them all when the
# exec is canceled or times out, even those that left its process group or session.
cd /run/sbx/x || exit 70
# Job control gives every command its own process group and keeps SIGINT/SIGQUIT at their
# defaults (a shell without it would start background commands with them ignored).
set -m

run() {
  local id=$1 stdin=/dev/null req
  mapfile -d '' req <"$id.req" || { echo "e $id request"; return; }
  [[ $2 == i ]] && stdin=$id.in
  [[ -d ${req[0]} && -x ${req[0]} ]] || { echo "e $id cwd"; return; }
  set -m
  (
    n=${req[1]}
    cd -- "${req[0]}" 2>/dev/null || {
      printf 'sbx: working directory %s does not exist\n' "${req[0]}" >&2
      exit 126
    }
    ((n > 0)) && export -- "${req[@]:2:n}"
    export SBX_EXEC_ID=$id
    set -- "${req[@]:2+n}"
    unset n req id stdin
    if [[ $1 == */* && -e $1 ]]; then
      [[ -f $1 && -x $1 ]] || { printf 'sbx: %s: cannot run it\n' "$1" >&2; exit 126; }
    else
      command -v -- "$1" >/dev/null || { printf 'sbx: %s: command not found\n' "$1" >&2; exit 127; }
    fi
    exec -- "$@"
  ) <"$stdin" >"$id.out" 2>"$id.err" &
  local pid=$!
  echo "s $id $pid"
  wait "$pid"
  echo "x $id $?"
}

echo ready
while IFS=' ' read -r op id flags; do
  case $op in
    r) run "$id" "$flags" & ;;
  esac
done
