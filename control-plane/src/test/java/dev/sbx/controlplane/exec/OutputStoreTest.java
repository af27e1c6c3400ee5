package dev.sbx.controlplane.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Followers pulling from the ring and the output store (as {@code ExecFollower} does) against a
 * model: random output of several execs, some running and some ended, a ring of a few events and
 * budgets from tiny to ample. Every follower gets each event exactly as first published, or a gap
 * that says so, never a hole, a repeat or changed bytes; within budget it gets everything.
 */
class OutputStoreTest {

  @TempDir Path folder;

  @Test
  void followersShouldGetEveryEventOrAnExplicitGapAndEverythingWithinBudget() {
    for (long seed = 0; seed < 100; seed++) {
      var random = new Random(seed);
      boolean ample = random.nextBoolean();
      long budget = ample ? Long.MAX_VALUE : 64 + random.nextInt(20_000);
      var store = new OutputStore(folder.resolve("s" + seed), "sbx-x", budget);
      var log = new EventLog("sbx-x", 2 + random.nextInt(10), 4096, count -> {}, store);
      Map<String, ExecRun> runs = new HashMap<>();
      var ended = new HashSet<String>();
      Map<String, Map<Long, ExecEvent>> published = new HashMap<>();
      log.subscribe(
          new Subscriber() {
            @Override
            public boolean offer(ExecEvent event) {
              published
                  .computeIfAbsent(event.execId(), e -> new HashMap<>())
                  .put(event.seq(), event);
              return true;
            }

            @Override
            public void logClosed() {}
          },
          null,
          1);
      Map<String, ByteArrayOutputStream[]> written = new HashMap<>();
      for (int step = 0; step < 300; step++) {
        var exec = "e" + random.nextInt(3);
        var run =
            runs.computeIfAbsent(
                exec,
                id -> {
                  var record = new ExecRecord("sbx-x", id, List.of("x"), Instant.now(), null);
                  var r = new ExecRun(record, log, 0);
                  r.started();
                  written.put(
                      id,
                      new ByteArrayOutputStream[] {
                        new ByteArrayOutputStream(), new ByteArrayOutputStream()
                      });
                  return r;
                });
        int choice = random.nextInt(20);
        if (choice < 4 || ended.contains(exec)) {
          var events = drain(log, exec, 1 + random.nextInt(40));
          check(events, exec, published.get(exec), seed);
        } else if (choice == 4) {
          // A runtime reports nothing of an exec after its end.
          run.finished(ExecOutcome.exited(0));
          ended.add(exec);
        } else {
          var stream = OutputStreamKind.values()[random.nextInt(2)];
          var bytes = new byte[random.nextInt(600)];
          // Mostly text, sometimes bytes that are not UTF-8.
          for (int i = 0; i < bytes.length; i++) {
            bytes[i] =
                (byte) (random.nextInt(10) == 0 ? random.nextInt(256) : 'a' + random.nextInt(26));
          }
          run.output(stream, bytes, bytes.length);
          written.get(exec)[stream.ordinal()].writeBytes(bytes);
        }
      }
      for (var exec : runs.keySet()) {
        var events = drain(log, exec, 1);
        check(events, exec, published.get(exec), seed);
        if (ample) {
          var why = "seed " + seed + " " + exec;
          assertThat(events).as(why).noneMatch(e -> e instanceof ExecEvent.Gap);
          for (var stream : OutputStreamKind.values()) {
            assertThat(bytes(events, stream))
                .as(why + " " + stream)
                .isEqualTo(written.get(exec)[stream.ordinal()].toByteArray());
          }
        }
      }
      log.close();
    }
  }

  /** Every event is the one published at its seq, or a gap; seqs go on without holes. */
  private static void check(
      List<ExecEvent> events, String exec, Map<Long, ExecEvent> published, long seed) {
    long expected = events.isEmpty() ? 0 : first(events.get(0));
    for (var event : events) {
      var why = "seed " + seed + " " + exec + " at " + expected + ": " + event.toJson();
      if (event instanceof ExecEvent.Gap gap) {
        assertThat(gap.fromSeq()).as(why).isEqualTo(expected);
        assertThat(gap.droppedBytes()).as(why).isPositive();
        expected = gap.toSeq() + 1;
        continue;
      }
      if (event.isExit() && event.seq() < expected) {
        continue; // asked past the end
      }
      assertThat(event.seq()).as(why).isEqualTo(expected);
      var original = published.get(event.seq());
      if (event instanceof ExecEvent.Output output) {
        // Rebuilt from the store: the same in all but identity.
        assertThat(output).as(why).isEqualTo(original);
      } else {
        assertThat(event).as(why).isSameAs(original);
      }
      expected++;
    }
  }

  private static long first(ExecEvent event) {
    return event instanceof ExecEvent.Gap gap ? gap.fromSeq() : event.seq();
  }

  private static byte[] bytes(List<ExecEvent> events, OutputStreamKind stream) {
    var out = new ByteArrayOutputStream();
    for (var event : events) {
      if (event instanceof ExecEvent.Output output && output.stream() == stream) {
        assertThat(output.offset()).isEqualTo(out.size());
        out.writeBytes(
            output.base64()
                ? Base64.getDecoder().decode(output.data())
                : output.data().getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /** What a follower from {@code from} gets now, as {@code ExecFollower} asks for it. */
  private static List<ExecEvent> drain(EventLog log, String exec, long from) {
    var events = new ArrayList<ExecEvent>();
    long seq = from;
    boolean keptFailed = false;
    while (true) {
      var next = log.next(exec, seq, keptFailed);
      ExecEvent event;
      if (next == null || next instanceof FollowStep.Closed) {
        return events;
      } else if (next instanceof FollowStep.Kept kept) {
        event = kept.event();
        keptFailed = event == null;
        if (event == null) {
          continue;
        }
      } else {
        event = ((FollowStep.Ready) next).event();
      }
      keptFailed = false;
      events.add(event);
      if (event.isExit()) {
        return events;
      }
      seq = event instanceof ExecEvent.Gap gap ? gap.toSeq() + 1 : event.seq() + 1;
    }
  }
}
