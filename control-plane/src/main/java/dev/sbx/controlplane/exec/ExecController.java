package dev.sbx.controlplane.exec;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /sandboxes/{id}/exec}: run a command, sync (200) or async (202). */
@RestController
class ExecController {

  private final ExecService execs;

  ExecController(ExecService execs) {
    this.execs = execs;
  }

  @PostMapping("/sandboxes/{id}/exec")
  ResponseEntity<ExecResult> exec(
      @PathVariable String id, @RequestBody(required = false) @Nullable ExecRequest body)
      throws InterruptedException {
    var result = execs.exec(id, body == null ? new ExecRequest(null, null) : body);
    var status = "running".equals(result.status()) ? HttpStatus.ACCEPTED : HttpStatus.OK;
    return ResponseEntity.status(status).body(result);
  }
}
