package dev.sbx.controlplane.runtime.local;

/**
 * What every local sandbox shares: how to build its bwrap command, the thread that starts it, the
 * watcher that streams its output and who hears of protocol violations.
 *
 * @param command builds a sandbox's bwrap command line
 * @param launcher starts processes from a thread that outlives requests
 * @param watcher reports new output in exec folders
 * @param violations hears of each sandbox that broke the protocol of its control channel
 */
record LocalSandboxes(
    BwrapCommand command,
    Launcher launcher,
    OutputWatcher watcher,
    ProtocolViolations violations) {}
