package dev.sbx.controlplane.web;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /healthz}: always {@code ok}, cheap enough for any probe. */
@RestController
class HealthController {

  @GetMapping(value = "/healthz", produces = MediaType.TEXT_PLAIN_VALUE)
  String healthz() {
    return "ok";
  }
}
