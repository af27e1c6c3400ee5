package dev.sbx.controlplane.mcp;

import static dev.sbx.controlplane.mcp.Schemas.bool;
import static dev.sbx.controlplane.mcp.Schemas.integer;
import static dev.sbx.controlplane.mcp.Schemas.oneOf;
import static dev.sbx.controlplane.mcp.Schemas.properties;
import static dev.sbx.controlplane.mcp.Schemas.string;

import dev.sbx.controlplane.exec.ExecService;
import dev.sbx.controlplane.exec.OutputSlice;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/** read_output: a command's output, chunk by chunk, from a byte offset. */
@Component
class OutputTools {

  static final int DEFAULT_CHUNK = 100_000;
  static final int MAX_CHUNK = 1_000_000;
  static final int MAX_WAIT_SECONDS = 60;
  private static final long POLL_MILLIS = 250;

  private final ExecService execs;

  OutputTools(ExecService execs) {
    this.execs = execs;
  }

  List<SandboxTool> tools() {
    var properties = CommandTools.execProperties();
    properties.put("stream", oneOf("The stream read.", "stdout", "stderr"));
    properties.put("offset", integer("Where data starts in the stream, in bytes.", 0));
    properties.put("next_offset", integer("The offset to give the next read_output.", 0));
    properties.put("data", string("The bytes, as UTF-8 text, or base64 (see encoding)."));
    properties.put("encoding", oneOf("How data is written.", "utf-8", "base64"));
    properties.put("total_bytes", integer("Bytes the stream holds so far.", 0));
    properties.put("ended", bool("True when the command ended and data reached its end."));
    return List.of(
        SandboxTool.of(
            "read_output",
            "Read a command's output",
            """
            Reads a command's stdout or stderr from a byte offset: the next chunk (at most \
            max_bytes, default 100000), next_offset to continue from, and ended: true once the \
            command has ended and nothing is left past next_offset. Works for running commands \
            (from start_command) and ended ones (to read what run_command cut out of the middle, \
            from the offset its marker names). Loop: call with offset 0, then with each \
            next_offset until ended. With wait_seconds, a read that finds no new bytes waits up \
            to that long for some, or for the end. data is UTF-8 text, or base64 when the bytes \
            are not UTF-8 (see encoding). Output is kept while the command's status is kept \
            (30 minutes after it ends by default).""",
            Schemas.input(
                properties(
                    "sandbox_id", string("The sandbox's id."),
                    "exec_id", string("The command's exec_id."),
                    "stream", oneOf("Which stream to read. Default stdout.", "stdout", "stderr"),
                    "offset", integer("Byte offset to read from. Default 0.", 0),
                    "max_bytes",
                        integer("Bytes to return at most. Default 100000, at most 1000000.", 1),
                    "wait_seconds",
                        integer(
                            "Seconds to wait for new bytes when there are none yet. Default 0,"
                                + " at most 60.",
                            0)),
                "sandbox_id",
                "exec_id"),
            Schemas.object(
                properties,
                "exec_id",
                "sandbox_id",
                "status",
                "stream",
                "offset",
                "next_offset",
                "data",
                "encoding",
                "total_bytes",
                "ended"),
            SandboxTool.readOnly(),
            this::read));
  }

  private SandboxTool.Outcome read(SandboxTool.Call call) throws InterruptedException {
    var args = call.arguments();
    var sandbox = args.requiredString("sandbox_id");
    var execId = args.requiredString("exec_id");
    var stream = args.choice("stream", "stdout", List.of("stdout", "stderr"));
    long offset = args.integer("offset", 0, 0, Long.MAX_VALUE);
    int max = (int) args.integer("max_bytes", DEFAULT_CHUNK, 1, MAX_CHUNK);
    long wait = args.integer("wait_seconds", 0, 0, MAX_WAIT_SECONDS);
    var slice = waitForBytes(sandbox, execId, stream, offset, max, wait);
    var view = execs.get(sandbox, execId);
    var decoded = OutputText.decode(slice.bytes());
    long next = offset + decoded.length();
    var fields = ExecResults.fields(view);
    fields.put("stream", stream);
    fields.put("offset", offset);
    fields.put("next_offset", next);
    fields.put("data", decoded.text());
    fields.put("encoding", decoded.encoding());
    fields.put("total_bytes", slice.end());
    fields.put("ended", slice.ended() && next >= slice.end());
    return SandboxTool.Outcome.ok(fields);
  }

  /**
   * Reads; while nothing is there and the command runs, reads again as it ends or every {@link
   * #POLL_MILLIS}, until the wait is over.
   */
  private OutputSlice waitForBytes(
      String sandbox, String execId, String stream, long offset, int max, long waitSeconds)
      throws InterruptedException {
    var slice = execs.outputSlice(sandbox, execId, stream, offset, max);
    if (waitSeconds == 0 || slice.bytes().length > 0 || slice.ended()) {
      return slice;
    }
    var ended = execs.ended(sandbox, execId);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    while (slice.bytes().length == 0 && !slice.ended() && System.nanoTime() < deadline) {
      try {
        ended.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        return execs.outputSlice(sandbox, execId, stream, offset, max); // all of it is in now
      } catch (TimeoutException | ExecutionException e) {
        slice = execs.outputSlice(sandbox, execId, stream, offset, max);
      }
    }
    return slice;
  }
}
