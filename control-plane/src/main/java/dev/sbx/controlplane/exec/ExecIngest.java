package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import dev.sbx.controlplane.runtime.SandboxRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Publishes what a stream sidecar pushes from inside a sandbox (sidecar mode) into the sandbox's
 * event log, so that subscribers see the same events as in control-plane mode. Seqs are assigned
 * here, per exec. A chunk is placed by its offset in its file: one sent twice (the sidecar did not
 * see the acknowledgement) is acknowledged again and published once. An exec this process never saw
 * (it restarted) goes on after the seq the sidecar last had acknowledged.
 */
@Component
public class ExecIngest {

  /** Streams a chunk can belong to, indexing the per-exec offsets. */
  public static final List<String> STREAMS = List.of("stdout", "stderr");

  /**
   * What the sidecar is told about one event.
   *
   * @param seq the seq the event got, or the exec's last seq when nothing was published
   * @param offset for output: how far into its file the control plane has everything
   */
  public record Ack(long seq, @Nullable Long offset) {}

  /**
   * How long a stream handshake waits for a sidecar that has not connected since this process
   * started: a pod's sidecar retries at least every 5 s.
   */
  static final Duration ANNOUNCE_WAIT = Duration.ofSeconds(10);

  /** How long after connecting a sidecar may still be announcing its execs, one frame each. */
  static final Duration ANNOUNCE_SETTLE = Duration.ofSeconds(2);

  private static final long SLICE_NANOS = Duration.ofMillis(250).toNanos();

  private final EventLogs logs;
  private final ExecRegistry registry;
  private final SandboxRuntime runtime;
  private final Map<String, Ingested> execs = new ConcurrentHashMap<>();
  // When each sandbox's sidecar last connected to this process (System.nanoTime()).
  private final Map<String, Long> connected = new ConcurrentHashMap<>();

  /** How far one exec got. */
  private static final class Ingested {
    long seq;
    boolean started;
    @Nullable Long exitSeq;
    final long[] ends = new long[2];
  }

  public ExecIngest(EventLogs logs, ExecRegistry registry, SandboxRuntime runtime) {
    this.logs = logs;
    this.registry = registry;
    this.runtime = runtime;
  }

  /**
   * The exec's first event, sent again on every new connection: for an exec unknown here with a
   * {@code resumeSeq} above 0, it only takes up the exec where the sidecar left it.
   */
  public Ack start(String sandboxId, String execId, long resumeSeq) {
    var exec = exec(sandboxId, execId, resumeSeq);
    synchronized (exec) {
      startIfNeeded(sandboxId, execId, exec);
      return new Ack(exec.seq, null);
    }
  }

  public Ack output(
      String sandboxId,
      String execId,
      String stream,
      long offset,
      String data,
      boolean base64,
      int byteLength,
      long resumeSeq) {
    var exec = exec(sandboxId, execId, resumeSeq);
    int index = STREAMS.indexOf(stream);
    long end = offset + byteLength;
    synchronized (exec) {
      if (exec.exitSeq != null || end <= exec.ends[index]) {
        return new Ack(exec.seq, exec.ends[index]); // a chunk sent again
      }
      startIfNeeded(sandboxId, execId, exec);
      var bytes = base64 ? Base64.getDecoder().decode(data) : data.getBytes(StandardCharsets.UTF_8);
      // A sidecar restarted before it saw an ack reads its file again from the last offset it
      // saved, and the file has grown since: the chunk repeats bytes published already and
      // carries new ones behind them. Only the new ones go on. (After a control-plane restart
      // ends is 0: the first chunk tells where the file stood.)
      long repeated = Math.max(0, exec.ends[index] - offset);
      if (repeated > 0) {
        bytes = Arrays.copyOfRange(bytes, (int) repeated, bytes.length);
        offset += repeated;
        // A cut inside a character leaves bytes that are no longer UTF-8: they go as base64.
        var text = base64 ? null : Utf8.decode(bytes, 0, bytes.length);
        base64 = text == null;
        data = text != null ? text : Base64.getEncoder().encodeToString(bytes);
      }
      exec.ends[index] = end;
      runtime.execActivity(sandboxId, execId, false);
      var kind = index == 0 ? OutputStreamKind.STDOUT : OutputStreamKind.STDERR;
      var log = log(sandboxId);
      log.write(execId, kind, bytes, bytes.length, offset);
      var event = ExecEvent.output(sandboxId, execId, ++exec.seq, kind, data, base64, offset);
      log.index(event, bytes.length);
      log.append(event);
      return new Ack(exec.seq, end);
    }
  }

  /** The exec ended; its record, when this process has one, ends with it. */
  public Ack exit(String sandboxId, String execId, int exitCode, long resumeSeq) {
    return end(
        sandboxId,
        execId,
        exitCode < 0 ? ExecOutcome.lost("exit_status_unknown") : ExecOutcome.exited(exitCode),
        resumeSeq);
  }

  /** Ends the exec however it ended: by its exit status, or lost when it could not be followed. */
  Ack end(String sandboxId, String execId, ExecOutcome outcome, long resumeSeq) {
    var exec = exec(sandboxId, execId, resumeSeq);
    synchronized (exec) {
      return end(sandboxId, execId, outcome, exec);
    }
  }

  private Ack end(String sandboxId, String execId, ExecOutcome outcome, Ingested exec) {
    if (exec.exitSeq != null) {
      return new Ack(exec.exitSeq, null);
    }
    startIfNeeded(sandboxId, execId, exec);
    runtime.execActivity(sandboxId, execId, true);
    var record =
        registry
            .find(sandboxId, execId)
            .orElseGet(() -> new ExecRecord(sandboxId, execId, List.of(), Instant.now(), null));
    // A timeout or cancel still killing the exec's other processes has the last word first.
    var ended = new CompletableFuture<ExecStatus>();
    record.whenStopped(() -> ended.complete(record.finish(outcome, Instant.now())));
    var status = ended.join();
    exec.exitSeq = ++exec.seq;
    log(sandboxId)
        .append(
            ExecEvent.exit(
                sandboxId,
                execId,
                exec.exitSeq,
                outcome.exitCode(),
                status,
                record.reason(),
                record.view().signal()));
    return new Ack(exec.exitSeq, null);
  }

  /** The sandbox is gone: its execs' progress goes with it. */
  public void forget(String sandboxId) {
    execs.keySet().removeIf(key -> key.startsWith(sandboxId + "/"));
    connected.remove(sandboxId);
  }

  private Ingested exec(String sandboxId, String execId, long resumeSeq) {
    return execs.computeIfAbsent(
        sandboxId + "/" + execId,
        key -> {
          var exec = new Ingested();
          // This process records every exec it starts before the sidecar can see it: one it
          // does not know ran before a restart, and runs on in the sandbox.
          if (registry.find(sandboxId, execId).isEmpty()) {
            registry.adopt(sandboxId, execId, Instant.now());
          }
          if (resumeSeq > 0) {
            exec.seq = resumeSeq;
            exec.started = true;
            log(sandboxId).resume(execId, resumeSeq);
          }
          return exec;
        });
  }

  /** A sandbox's stream sidecar connected: it announces every exec in its folder first. */
  public void connected(String sandboxId) {
    connected.put(sandboxId, System.nanoTime());
  }

  /**
   * Waits, bounded, for the sandbox's stream sidecar to announce an exec this process does not
   * know: after a restart, a subscriber that reconnects at once comes before the sidecar does. It
   * waits for the sidecar to connect (at most {@link #ANNOUNCE_WAIT}), then for {@link
   * #ANNOUNCE_SETTLE} after it connected, in which it announces its execs; a sidecar connected
   * longer than that has announced all it has, and the answer is at once.
   *
   * @return whether the exec is known now
   */
  public boolean awaitAnnounced(String sandboxId, String execId) throws InterruptedException {
    var log = log(sandboxId);
    if (!runtime.streamsThroughSidecar()) {
      return log.knows(execId);
    }
    long deadline = System.nanoTime() + ANNOUNCE_WAIT.toNanos();
    while (true) {
      var since = connected.get(sandboxId);
      long until = since == null ? deadline : Math.min(deadline, since + ANNOUNCE_SETTLE.toNanos());
      long left = until - System.nanoTime();
      if (left <= 0) {
        return log.knows(execId);
      }
      // In slices: a sidecar that connects meanwhile shortens the wait.
      if (log.awaitKnown(execId, Math.min(left, SLICE_NANOS))) {
        return true;
      }
    }
  }

  private void startIfNeeded(String sandboxId, String execId, Ingested exec) {
    if (!exec.started) {
      exec.started = true;
      log(sandboxId).append(ExecEvent.start(sandboxId, execId, ++exec.seq));
    }
  }

  private EventLog log(String sandboxId) {
    return logs.forSandbox(sandboxId);
  }
}
