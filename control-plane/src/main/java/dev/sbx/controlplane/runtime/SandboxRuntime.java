package dev.sbx.controlplane.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The one seam between what a sandbox is and where it runs. Everything above it (API, event log,
 * streams, CLI) is the same for every implementation.
 */
public interface SandboxRuntime {

  /** The name shown to users, e.g. {@code local}. */
  String name();

  /**
   * Creates and starts a sandbox; returns once it can run commands, or as soon as the runtime knows
   * its state when starting takes long.
   *
   * @throws SandboxExistsException when a sandbox with that id exists
   * @throws UnsupportedOptionException when the spec asks for something this runtime cannot do
   */
  SandboxInfo create(SandboxSpec spec);

  /** The sandbox, with its {@link SandboxInfo#usage() usage} where the runtime can measure it. */
  Optional<SandboxInfo> find(String id);

  /**
   * Whether the sandbox exists, without reading its usage: what every exec and stream asks first,
   * so a runtime whose {@link #find} reads files or asks a metrics API overrides it.
   */
  /**
   * A folder of this runtime's that outlives the control plane, where exec output is kept when no
   * {@code SANDBOX_STREAM_STORE_DIR} is set, so that it survives a restart as the sandboxes do;
   * null when the runtime has none (the output is then kept in a temporary folder).
   */
  default @Nullable Path outputStoreDir() {
    return null;
  }

  default boolean exists(String id) {
    return find(id).isPresent();
  }

  /** Every sandbox this control plane manages, sorted by id; without usage, which costs reads. */
  List<SandboxInfo> list();

  /**
   * Kills every process of the sandbox and removes it.
   *
   * @return false when there was no such sandbox
   */
  boolean delete(String id);

  /**
   * Starts a command in the sandbox and returns once it runs. Output and the end are reported to
   * the listener from other threads: output in order per stream, and {@link ExecListener#finished}
   * last, exactly once.
   *
   * @throws SandboxNotFoundException when the sandbox does not exist
   * @throws dev.sbx.controlplane.problem.InvalidRequestException when the spec cannot run there
   *     (its working directory does not exist); nothing was started
   */
  void exec(String sandboxId, ExecSpec spec, ExecListener listener);

  /**
   * Starts a command on a terminal of {@code spec.tty()}'s size and returns once it runs, as {@link
   * #exec} does; the returned {@link Terminal} takes its input until it ends.
   *
   * @throws TerminalsUnavailableException when this runtime has no terminals (see {@link
   *     #terminalsUnavailableBecause})
   */
  default Terminal execTerminal(String sandboxId, ExecSpec spec, ExecListener listener) {
    throw new TerminalsUnavailableException(name(), terminalsUnavailableBecause());
  }

  /** Why this runtime cannot run commands on terminals, or null when it can. Cheap. */
  default @Nullable String terminalsUnavailableBecause() {
    return "it has no terminals";
  }

  /**
   * Runs a helper command in the sandbox, as its user and in its namespaces, with its stdin read
   * from {@code in} and its stdout written to {@code out} while they flow, so that a file of any
   * size passes without being held in memory or on the host. It is no exec: it is not listed and
   * has no events. Returns once it ended and its output was written; when {@code out} fails (the
   * client went away), the helper is ended too.
   *
   * @param in its stdin; null for an empty one
   * @throws SandboxNotFoundException when the sandbox does not exist
   * @throws UnsupportedOperationException when this runtime cannot do it (yet)
   */
  default HelperOutcome pipe(
      String sandboxId, List<String> command, @Nullable InputStream in, OutputStream out)
      throws IOException {
    throw new UnsupportedOperationException(
        "file transfers are not available on the " + name() + " runtime yet");
  }

  /**
   * Ends an exec and every process it started, wherever they went (other process groups and
   * sessions included): TERM first, KILL to what is left after the grace. Returns when they are
   * gone; the exec's listener hears about its end as usual.
   */
  void terminate(String sandboxId, String execId, Duration grace);

  /** Execs that were running when the control plane last stopped, found once at start-up. */
  List<InterruptedExec> interruptedExecs();

  /**
   * Execs still marked as running in these sandboxes, found when this replica takes them over from
   * one that went away: their output went with it. Only a runtime that several replicas share finds
   * any.
   */
  default List<InterruptedExec> orphanedExecs(Collection<String> sandboxIds) {
    return List.of();
  }

  /**
   * Why the runtime cannot take work now (bwrap gone, state folder not writable, API server
   * unreachable...), or null when it can. Cheap enough for a readiness probe.
   */
  default @Nullable String unavailableBecause() {
    return null;
  }

  /**
   * The limits this runtime cannot enforce on this machine, by API name ({@link
   * Resources#DISK}...), each with why; empty when every limit holds. Readiness shows them.
   */
  default Map<String, String> unenforcedLimits() {
    return Map.of();
  }

  /** Tells the listener, once per sandbox, how long it took from create to ready. */
  default void onReady(ReadyListener listener) {}

  /**
   * Tells the listener, with the sandbox's id, each time a sandbox broke the protocol of the
   * channel its runtime talks to it on (and was restarted for it).
   */
  default void onProtocolViolation(Consumer<String> listener) {}

  /** Tells the listener about each sandbox the runtime deleted by itself, as idle. */
  default void onReaped(Consumer<String> listener) {}

  /**
   * Hears that a stream sidecar reported on an exec (output, or its end): the sandbox is in use.
   */
  default void execActivity(String sandboxId, String execId, boolean ended) {}

  /** Whether async execs' output goes through a stream sidecar in each sandbox (sidecar mode). */
  default boolean streamsThroughSidecar() {
    return false;
  }

  /**
   * The SHA-256 (hex) of the sandbox's ingest credential, which its stream sidecar presents; null
   * when the sandbox has none (no sidecar mode, or another runtime).
   */
  default @Nullable String ingestTokenSha256(String sandboxId) {
    return null;
  }

  /** The sandbox's egress policy now, or empty when there is no such sandbox. Cheap: no I/O. */
  default Optional<EgressPolicy> egressPolicy(String id) {
    return Optional.empty();
  }

  /**
   * Changes what the sandbox may reach from its next connection on, and keeps it, so that it
   * survives a restart of the control plane.
   *
   * @throws SandboxNotFoundException when the sandbox does not exist
   */
  default EgressPolicy updateEgressPolicy(String id, EgressPolicy policy) {
    throw new UnsupportedOptionException("network", name(), "no egress policy in this runtime");
  }

  /**
   * The sandbox a connection to the egress proxy comes from, by its source address (a pod IP), or
   * empty when the address is none of ours. Cheap: it runs on the proxy's event loop.
   */
  default Optional<String> sandboxAt(InetAddress source) {
    return Optional.empty();
  }

  /**
   * The TCP port on which the control plane's egress proxy takes this runtime's sandboxes'
   * connections, each known by its source address through {@link #sandboxAt}; 0 for none.
   */
  default int egressProxyPort() {
    return 0;
  }

  /** Whether the egress proxy knows this runtime's sandboxes by address (and so over TCP). */
  default boolean identifiesByAddress() {
    return false;
  }

  /**
   * Hands the runtime the egress proxy's unix-socket front, for runtimes whose sandboxes reach the
   * proxy through a socket of their own (the local runtime); others ignore it.
   */
  default void useEgress(EgressChannels channels) {}

  /** The warm pool's figures; zero where there is no pool. */
  default PoolStatus pool() {
    return PoolStatus.NONE;
  }

  /**
   * How many warm sandboxes the pool aims for and how many are ready to be claimed.
   *
   * @param desired the pool's target size now
   * @param ready unclaimed, ready warm sandboxes
   * @param retiredNotReady warm sandboxes retired so far because they did not become ready in time
   */
  record PoolStatus(int desired, int ready, long retiredNotReady) {
    public static final PoolStatus NONE = new PoolStatus(0, 0, 0);
  }

  /** Hears when a sandbox first became ready. */
  interface ReadyListener {
    void ready(String sandboxId, Duration sinceCreate);
  }
}
