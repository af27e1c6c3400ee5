package dev.sbx.controlplane.web;

import dev.sbx.controlplane.problem.Problems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page, in place of Boot's: errors that happen outside Spring MVC's
 * handlers (a servlet's own {@code sendError}, such as the 405 for TRACE) answer with problem JSON
 * like every other error.
 */
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    var code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    var status =
        HttpStatusCode.valueOf(
            code instanceof Integer value ? value : HttpStatus.INTERNAL_SERVER_ERROR.value());
    var resolved = HttpStatus.resolve(status.value());
    var title = resolved != null ? resolved.getReasonPhrase() : "Error " + status.value();
    var detail =
        status.is5xxServerError()
            ? "the control plane failed"
            : "the request was refused: " + title.toLowerCase();
    var problem = Problems.of(status, Problems.slugFor(status), title, detail);
    if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
      try {
        problem.setInstance(URI.create(uri));
      } catch (IllegalArgumentException e) {
        // a path Tomcat let through but java.net.URI refuses: the problem goes without it
      }
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
