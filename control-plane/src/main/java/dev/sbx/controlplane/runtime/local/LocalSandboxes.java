package dev.sbx.controlplane.runtime.local;

/**
 * What every local sandbox shares: how to build its bwrap command, the thread that starts it and
 * the watcher that streams its output.
 *
 * @param command builds a sandbox's bwrap command line
 * @param launcher starts processes from a thread that outlives requests
 * @param watcher reports new output in exec folders
 */
record LocalSandboxes(BwrapCommand command, Launcher launcher, OutputWatcher watcher) {}
