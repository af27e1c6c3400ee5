# sbx-init: the first process of a local sandbox (pid 1 of its pid namespace), started by bwrap
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

# The forked side of an exec: its working directory, env and program from the request's fields.
command_of() {
  local n=$1 cwd=$2
  shift 2
  cd -- "$cwd" 2>/dev/null || {
    printf 'sbx: working directory %s does not exist\n' "$cwd" >&2
    exit 126
  }
  ((n > 0)) && export -- "${@:1:n}"
  shift "$n"
  export SBX_EXEC_ID=$id
  unset id running started draining reader requests requests_PID
  command -v -- "$1" >/dev/null || { printf 'sbx: %s: command not found\n' "$1" >&2; exit 127; }
  exec -- "$@"
}

# Forks the command of request $1 (flags $2) and reports it; its pid is left in $started.
# Returns 1, reported, when it cannot start.
start() {
  local id=$1 stdin=/dev/null req
  mapfile -d '' req <"$id.req" || { echo "e $id request"; return 1; }
  [[ $2 == i ]] && stdin=$id.in
  [[ -d ${req[0]} && -x ${req[0]} ]] || { echo "e $id cwd"; return 1; }
  command_of "${req[1]}" "${req[0]}" "${req[@]:2}" <"$stdin" >"$id.out" 2>"$id.err" &
  started=$!
  echo "s $id $started"
}

# Before bash 5.1 there is no `wait -n -p`: each command gets a subshell of its own that waits for
# it, one fork more per exec.
if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 501)); then
  echo ready
  while IFS=' ' read -r op id flags; do
    [[ $op == r ]] && { start "$id" "$flags" && { wait "$started"; echo "x $id $?"; }; } &
  done
  exit 0
fi

# Otherwise this shell forks each command itself and waits for all of them at once, which saves a
# fork of bash per exec: about 4 of 11 ms on a 2-core VM, where a fork of bash costs 3-4 ms. It
# cannot block on its stdin and on its children together, so a reader, forked once, reads the
# requests, passes each line on through a pipe and wakes us with SIGUSR1, whose trap starts them.
# `wait -n` returns when a command ends or when that signal comes (bash >= 5.1 also returns at
# once when the signal came just before it).
declare -A running # pid -> exec id
draining=0

# Starts every request that waits in the pipe. The trap may fire again while it runs; the guard
# keeps it from reading the pipe under itself, and the last check catches a line that came while
# it was finishing.
drain() {
  ((draining)) && return
  draining=1
  local op id flags
  while :; do
    while read -t 0 -u "${requests[0]}"; do
      IFS=' ' read -r -u "${requests[0]}" op id flags || break
      [[ $op == r ]] && start "$id" "$flags" && running[$started]=$id
    done
    draining=0
    read -t 0 -u "${requests[0]}" || return 0
    draining=1
  done
}

# Reports every command whose process is gone. bash forgets a job once it has printed its end
# (which it may do between two commands), so `wait -n` alone can miss one; `wait PID` still knows
# its status.
report_ended() {
  local pid
  for pid in "${!running[@]}"; do
    kill -0 "$pid" 2>/dev/null && continue
    wait "$pid"
    echo "x ${running[$pid]} $?"
    unset "running[$pid]"
  done
}

exec 3<&0 0</dev/null
# The reader also wakes us every second, so that a command that ended just before we started to
# wait is reported within a second even then. Lines come whole: the control plane writes each in
# one write.
coproc requests {
  line=
  while :; do
    IFS= read -r -t 1 -u 3 part
    case $? in
      0) printf '%s\n' "$line$part" && line= ;;
      1) exit 0 ;;
      *) line+=$part ;;
    esac
    kill -USR1 $$ 2>/dev/null || exit 0
  done
}
exec 3<&-
reader=$requests_PID
trap drain USR1
echo ready
while :; do
  report_ended
  pid=
  wait -n -f -p pid
  status=$?
  [[ -z $pid ]] && continue
  [[ $pid == "$reader" ]] && exit 0
  [[ -n ${running[$pid]-} ]] && echo "x ${running[$pid]} $status" && unset "running[$pid]"
done
