# Sends a signal to every process of one exec (POSIX sh), called as
#   sh -c "$this" sbx-kill <exec_id> <signal>
# and prints how many it found. Processes are found by the SBX_EXEC_ID the exec wrapper gave them,
# which they keep in other process groups and sessions (setsid, nohup) too.
id=$1 sig=$2 found=0
for dir in /proc/[0-9]*; do
  pid=${dir#/proc/}
  [ "$pid" = "$$" ] && continue
  if tr '\0' '\n' 2>/dev/null <"$dir/environ" | grep -qx "SBX_EXEC_ID=$id"; then
    kill "-$sig" "$pid" 2>/dev/null && found=$((found + 1))
  fi
done
echo "$found"
