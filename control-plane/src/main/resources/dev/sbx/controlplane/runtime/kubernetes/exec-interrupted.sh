# Lists, and forgets, the execs that were running (or ended unseen) while no control plane
# watched (POSIX sh): one line per exec, "<exec_id> TAB <start, Unix seconds> TAB <argv, 0x1f-separated>".
dir=/tmp/.sbx-execs
[ -d "$dir" ] || exit 0
for f in "$dir"/*; do
  [ -f "$f" ] || continue
  printf '%s\t%s\t' "${f##*/}" "$(stat -c %Y "$f" 2>/dev/null || echo 0)"
  tr '\0' '\037' <"$f"
  echo
  rm -f "$f"
done
