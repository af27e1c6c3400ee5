package dev.sbx.controlplane.web;

import dev.sbx.controlplane.problem.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error into an RFC 9457 problem with one of our stable types and the original's {@code
 * error} member. Our own exceptions already carry their problem; this fills in Spring's (unknown
 * route, wrong method, unreadable body) and hides bugs behind a 500.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodySizeLimitFilter.BodyTooLargeException) {
        var problem =
            Problems.of(
                HttpStatus.PAYLOAD_TOO_LARGE,
                Problems.PAYLOAD_TOO_LARGE,
                "Payload too large",
                cause.getMessage());
        return handleExceptionInternal(ex, problem, headers, HttpStatus.PAYLOAD_TOO_LARGE, request);
      }
    }
    var problem =
        Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST, "Invalid request", why(ex));
    var field = field(ex.getCause());
    if (field != null) {
      problem.setProperty("field", field);
    }
    return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  /**
   * A failure after the answer started (a download cut short) goes on to Tomcat, which then closes
   * the connection at once: the client sees a transfer cut short, where a problem appended to the
   * body, or an orderly end, would pass a part for the whole.
   */
  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception ex, WebRequest request, HttpServletResponse response)
      throws Exception {
    if (response.isCommitted()) {
      logger.warn(
          "{} failed after its answer started: {}", request.getDescription(false), ex.toString());
      throw ex;
    }
    logger.error("request failed: {}", request.getDescription(false), ex);
    var problem =
        Problems.of(
            HttpStatus.INTERNAL_SERVER_ERROR,
            Problems.INTERNAL,
            "Internal error",
            "the control plane failed: " + ex);
    return handleExceptionInternal(
        ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleExceptionInternal(
      Exception ex,
      @Nullable Object body,
      HttpHeaders headers,
      HttpStatusCode statusCode,
      WebRequest request) {
    // Spring fills in its own exceptions' problems in the super call, so ours are added after.
    var response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
    if (response != null && response.getBody() instanceof ProblemDetail problem) {
      if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
        problem.setType(Problems.type(Problems.slugFor(statusCode)));
      }
      if (problem.getProperties() == null || !problem.getProperties().containsKey("error")) {
        problem.setProperty(
            "error", problem.getDetail() != null ? problem.getDetail() : problem.getTitle());
      }
    }
    return response;
  }

  private static String why(HttpMessageNotReadableException ex) {
    var cause = ex.getCause();
    var field = field(cause);
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return "unknown field \"" + unknown.getPropertyName() + "\"";
    }
    if (cause instanceof MismatchedInputException mismatch && field != null) {
      return field + ": expected " + describe(mismatch.getTargetType());
    }
    if (cause instanceof StreamReadException read) {
      return "malformed JSON: " + read.getOriginalMessage();
    }
    if (cause instanceof JacksonException other) {
      return (field == null ? "" : field + ": ") + other.getOriginalMessage();
    }
    return "the request body is missing or is not JSON";
  }

  private static @Nullable String field(@Nullable Throwable cause) {
    if (!(cause instanceof JacksonException jackson) || jackson.getPath().isEmpty()) {
      return null;
    }
    var path = new StringBuilder();
    List<JacksonException.Reference> references = jackson.getPath();
    for (var reference : references) {
      if (reference.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? null : path.toString();
  }

  private static String describe(@Nullable Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array of strings";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object of strings";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    return "a " + type.getSimpleName();
  }
}
