package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** One exec's files in the events folder, and how far they were sent and acknowledged. */
final class ExecTail {

  /** The exec's two output files. */
  enum Stream {
    STDOUT,
    STDERR;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Stream[] STREAMS = Stream.values();
  private static final List<String> SUFFIXES =
      List.of(".stdout", ".stderr", ".exit", ".exit.tmp", ".state.tmp", ".state");

  private final String id;
  private final Path[] files;
  private final Path exit;
  private final StateFile state;
  private final long[] acked = new long[2];
  private final long[] sent = new long[2];
  private long seq;
  private boolean startAcked;
  private boolean startSent;
  private boolean exitSent;
  private boolean exitAcked;
  private int exitCode;
  private int turn;
  private String lastProblem;

  private ExecTail(Path dir, String id) {
    this.id = id;
    this.files = new Path[] {dir.resolve(id + ".stdout"), dir.resolve(id + ".stderr")};
    this.exit = dir.resolve(id + ".exit");
    this.state = new StateFile(dir.resolve(id + ".state"));
  }

  /** Picks up an exec, where a previous run of the sidecar left it if it saved progress. */
  static ExecTail open(Path dir, String id) {
    var tail = new ExecTail(dir, id);
    try {
      var progress = tail.state.read();
      if (progress == null) {
        Log.info("exec %s started", id);
      } else {
        tail.seq = progress.seq();
        tail.acked[0] = progress.stdout();
        tail.acked[1] = progress.stderr();
        tail.startAcked = true;
        Log.info(
            "exec %s: resuming at seq %d, stdout byte %d, stderr byte %d",
            id, tail.seq, tail.acked[0], tail.acked[1]);
      }
    } catch (IOException e) {
      // Only a hand-edited file gets here. The control plane drops the chunks it has by offset.
      Log.info("exec %s: %s; sending it from the start", id, e.getMessage());
    }
    tail.rewind();
    return tail;
  }

  /**
   * Deletes an exec's files, stdout first: a state file without stdout then marks a clean-up that
   * was interrupted, never an exec still to send.
   */
  static void deleteFiles(Path dir, String id) throws IOException {
    for (String suffix : SUFFIXES) {
      Files.deleteIfExists(dir.resolve(id + suffix));
    }
  }

  String id() {
    return id;
  }

  int exitCode() {
    return exitCode;
  }

  boolean finished() {
    return exitAcked;
  }

  /**
   * Forgets what was sent and not acknowledged, so that it goes again on a new connection. The
   * start goes again too: the new connection may reach a restarted control plane, which learns from
   * it (with resume_seq) that this exec goes on, before any more output.
   */
  void rewind() {
    System.arraycopy(acked, 0, sent, 0, 2);
    startSent = false;
    exitSent = exitAcked;
  }

  /** Builds the next frame into frames, or returns null when nothing can go now. */
  Event next(Frames frames) throws IOException {
    if (exitSent) {
      return null;
    }
    long now = System.nanoTime();
    if (!startSent) {
      frames.start(id, seq);
      startSent = true;
      return new Event(this, Event.Kind.START, null, 0, 0, now);
    }
    // The wrapper writes the exit file only once the output files are complete, so sizes read
    // after seeing it are final.
    boolean exited = Files.exists(exit);
    long[] sizes = {size(files[0]), size(files[1])};
    for (int i = 0; i < 2; i++) {
      int s = (turn + i) % 2;
      if (sent[s] < sizes[s]) {
        String stream = STREAMS[s].wireName();
        int n = frames.output(id, stream, files[s], sent[s], sizes[s], exited, seq);
        if (n > 0) {
          var event = new Event(this, Event.Kind.OUTPUT, STREAMS[s], sent[s], sent[s] + n, now);
          sent[s] += n;
          turn = 1 - s;
          lastProblem = null;
          return event;
        }
      }
    }
    if (exited && startAcked && acked[0] >= sizes[0] && acked[1] >= sizes[1]) {
      exitCode = readExitCode();
      frames.exit(id, exitCode, seq);
      exitSent = true;
      return new Event(this, Event.Kind.EXIT, null, 0, 0, now);
    }
    return null;
  }

  /** Records the control plane's answer to an event; seq is null when it refused the event. */
  void answered(Event event, Long ackSeq) {
    if (ackSeq != null) {
      seq = Math.max(seq, ackSeq);
    }
    switch (event.kind()) {
      case START -> startAcked = true;
      case OUTPUT -> acked[event.stream().ordinal()] = event.end();
      case EXIT -> {
        exitAcked = true;
        return;
      }
    }
    try {
      state.write(new StateFile.Progress(seq, acked[0], acked[1]));
    } catch (IOException e) {
      report("cannot save progress: " + e);
    }
  }

  /** Logs a problem with this exec's files, once until it changes. */
  void report(String problem) {
    if (!problem.equals(lastProblem)) {
      Log.info("exec %s: %s", id, problem);
      lastProblem = problem;
    }
  }

  private int readExitCode() throws IOException {
    try (var in = Files.newInputStream(exit)) {
      return Integer.parseInt(new String(in.readNBytes(32), US_ASCII).strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long size(Path file) throws IOException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }
}
