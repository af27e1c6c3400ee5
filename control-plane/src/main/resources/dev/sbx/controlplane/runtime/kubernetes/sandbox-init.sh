# PID 1 of the sandbox container (POSIX sh), the pod's default command in place of
# `sleep infinity`: a process whose parent dies is handed to PID 1, and only PID 1 can reap it
# when it ends, so sleep as PID 1 leaves every orphan of every exec a zombie for the sandbox's
# life. The shell's wait reaps any child that ends, adopted ones included. TERM (the pod's
# deletion) ends it at once instead of after the grace period.
trap 'exit 0' TERM INT
while :; do
  sleep 2147483647 &
  wait
done
