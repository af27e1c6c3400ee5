package dev.sbx.bench;

/**
 * How much of each load to run: the full suite of {@code make bench}, or a quick pass of seconds
 * that only shows the suite still works (its figures are not for comparing).
 *
 * @param hotWarmup sync execs before the measured ones, at least
 * @param warmupSeconds how long the warm-up may go on while the JIT compilers stay busy
 * @param hotRuns measured sync execs, one client
 * @param rpsClients concurrent clients of the throughput load
 * @param rpsSeconds measured seconds of the throughput load (after one warm-up second per client)
 * @param createRuns measured create + first exec rounds
 * @param rawJoinRuns measured nsenter runs
 * @param cliRuns measured sbx runs
 * @param streamBytes random bytes whose base64 is streamed (about 4/3 of it is sent)
 * @param streamRuns measured streams
 * @param manySandboxes sandboxes of the open-streams load
 * @param streamsPerSandbox streams per sandbox of that load
 * @param profile whether to record the hot paths with JFR
 */
record Scale(
    int hotWarmup,
    int warmupSeconds,
    int hotRuns,
    int rpsClients,
    int rpsSeconds,
    int createRuns,
    int rawJoinRuns,
    int cliRuns,
    long streamBytes,
    int streamRuns,
    int manySandboxes,
    int streamsPerSandbox,
    boolean profile) {

  static final Scale FULL =
      new Scale(2000, 60, 2000, 16, 10, 30, 300, 30, 740_000_000L, 3, 100, 2, true);

  static final Scale QUICK = new Scale(50, 2, 200, 16, 2, 5, 30, 3, 30_000_000L, 1, 5, 2, false);
}
