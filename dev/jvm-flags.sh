# JVM flags of the control plane when it runs on this machine: sourced by dev/run.sh (make run)
# and dev/bench.sh, so that the benchmark measures what make run starts. The image sets its own
# (images/control-plane/Dockerfile), sized from the container's memory limit.
#
# The serial collector: its bookkeeping takes a few MB where G1's takes about 40 (measured with
# Native Memory Tracking), the live heap is tens of MB, and pauses on a heap that small are a few
# milliseconds. A small initial heap and the free ratios let the heap shrink back after a burst,
# such as a fast stream whose output waits in a subscriber's queue (the heap never shrinks below
# its initial size, which is 1/64 of the machine's memory by default). SBX_JVM_FLAGS replaces
# them all.
# shellcheck disable=SC2206 # word splitting of SBX_JVM_FLAGS is intended
CONTROL_PLANE_JVM_FLAGS=(${SBX_JVM_FLAGS:--XX:+UseSerialGC -Xms32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+ExitOnOutOfMemoryError})
