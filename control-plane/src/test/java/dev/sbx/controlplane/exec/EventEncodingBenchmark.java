package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the in-process steps every streamed chunk of output goes through, on a 64 KiB chunk of
 * base64 lines (what the stream benchmark's command prints). Run by {@link EventEncodingBenchTest}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EventEncodingBenchmark {

  static final int CHUNK = 64 * 1024;

  private byte[] bytes;
  private String text;

  @Setup
  public void setUp() {
    var random = new byte[CHUNK];
    new Random(1).nextBytes(random);
    var lines = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encode(random);
    bytes = Arrays.copyOf(lines, CHUNK);
    text = new String(bytes, StandardCharsets.UTF_8);
  }

  /** Output bytes checked as UTF-8 and turned into an event payload. */
  @Benchmark
  public Object decodeOutput() {
    return new OutputDecoder().decode(bytes, bytes.length);
  }

  /** An output event written as the JSON text of its WebSocket frame. */
  @Benchmark
  public Object eventJson() {
    return ExecEvent.output(
            "sbx-bench", "e-0123456789", 42, OutputStreamKind.STDOUT, text, false, -1)
        .json();
  }
}
