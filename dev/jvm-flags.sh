# JVM flags of the control plane when it runs on this machine: sourced by dev/run.sh (make run)
# and dev/bench.sh, so that the benchmark measures what make run starts. The image sets its own
# (images/control-plane/Dockerfile), sized from the container's memory limit.
#
# The serial collector: its bookkeeping takes a few MB where G1's takes about 40 (measured with
# Native Memory Tracking), the live heap is tens of MB, and pauses on a heap that small are a few
# milliseconds. A small initial heap and the free ratios let the heap shrink back after a burst,
# such as a fast stream whose output waits in a subscriber's queue (the heap never shrinks below
# its initial size, which is 1/64 of the machine's memory by default). The ratios leave 40-70%
# free, not 10-30%: with the heap kept at live + 10-30%, a stream's recent events (the in-memory
# ring) were promoted and filled the old generation, and a 200 MB stream cost 48 full collections
# and 1.4-2.0 s of the VM thread's CPU out of 2.2-3.0 s for the whole process; at 40-70% that is
# 0.16-0.20 s out of 0.8 s (binary frames, measured side by side on the same jar, dev machine
# under load). SBX_JVM_FLAGS replaces them all.
# shellcheck disable=SC2206 # word splitting of SBX_JVM_FLAGS is intended
CONTROL_PLANE_JVM_FLAGS=(${SBX_JVM_FLAGS:--XX:+UseSerialGC -Xms32m -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70 -XX:+ExitOnOutOfMemoryError})
