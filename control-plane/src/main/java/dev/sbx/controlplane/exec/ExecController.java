package dev.sbx.controlplane.exec;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Run commands in a sandbox, see their status, cancel them. */
@RestController
@RequestMapping("/sandboxes/{id}")
class ExecController {

  private final ExecService execs;

  ExecController(ExecService execs) {
    this.execs = execs;
  }

  /** Sync (200, with the output) or async (202, running). */
  @PostMapping("/exec")
  ResponseEntity<ExecView> exec(
      @PathVariable String id, @RequestBody(required = false) @Nullable ExecRequest body)
      throws InterruptedException {
    var outcome = execs.exec(id, body == null ? ExecRequest.EMPTY : body);
    return ResponseEntity.status(outcome.async() ? HttpStatus.ACCEPTED : HttpStatus.OK)
        .body(outcome.exec());
  }

  @GetMapping("/execs")
  Map<String, List<ExecView>> list(@PathVariable String id) {
    return Map.of("execs", execs.list(id));
  }

  @GetMapping("/execs/{execId}")
  ExecView get(@PathVariable String id, @PathVariable String execId) {
    return execs.get(id, execId);
  }

  /**
   * The exec's raw output of one stream from a byte offset; with {@code follow} (the default) it
   * goes on, chunked, until the exec ends.
   */
  @GetMapping("/execs/{execId}/output")
  void output(
      @PathVariable String id,
      @PathVariable String execId,
      @RequestParam(defaultValue = "stdout") String stream,
      @RequestParam(defaultValue = "0") long offset,
      @RequestParam(defaultValue = "true") boolean follow,
      HttpServletResponse response)
      throws IOException, InterruptedException {
    var output = execs.output(id, execId, stream, offset);
    response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
    output.copyTo(response.getOutputStream(), follow);
  }

  @PostMapping("/execs/{execId}/cancel")
  ExecView cancel(@PathVariable String id, @PathVariable String execId)
      throws InterruptedException {
    return execs.cancel(id, execId);
  }
}
