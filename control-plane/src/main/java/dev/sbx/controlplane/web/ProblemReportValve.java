package dev.sbx.controlplane.web;

import dev.sbx.controlplane.problem.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report, as problem JSON instead of an HTML page. Tomcat answers some requests
 * itself before any filter or controller sees them: an encoded {@code /} or a NUL in the path, a
 * malformed request line, a TRACE. Its body then says only what the status says, and never echoes
 * the request.
 */
public class ProblemReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    var code = HttpStatusCode.valueOf(status);
    var resolved = HttpStatus.resolve(status);
    var title = resolved != null ? resolved.getReasonPhrase() : "Error " + status;
    var detail = "the request was refused before it reached the API: " + title.toLowerCase();
    var json =
        "{\"type\":\""
            + Problems.type(Problems.slugFor(code))
            + "\",\"title\":\""
            + title
            + "\",\"status\":"
            + status
            + ",\"detail\":\""
            + detail
            + "\",\"error\":\""
            + detail
            + "\"}";
    try {
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      var out = response.getOutputStream();
      out.write(json.getBytes(StandardCharsets.UTF_8));
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // the client went away, or the response is past writing: nothing more to tell it
    }
  }
}
