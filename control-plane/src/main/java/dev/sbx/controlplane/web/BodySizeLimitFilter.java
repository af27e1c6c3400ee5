package dev.sbx.controlplane.web;

import dev.sbx.controlplane.problem.ProblemWriter;
import dev.sbx.controlplane.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@link #LIMIT} with 413: at once when Content-Length says so, and
 * while reading when the body is chunked.
 */
final class BodySizeLimitFilter extends OncePerRequestFilter {

  static final long LIMIT = 1024 * 1024;

  private final ProblemWriter problems;

  BodySizeLimitFilter(ProblemWriter problems) {
    this.problems = problems;
  }

  /** Thrown while reading a body that turns out to be too large. */
  static final class BodyTooLargeException extends IOException {
    BodyTooLargeException() {
      super("request body over " + LIMIT + " bytes");
    }
  }

  static void reject(HttpServletRequest request, HttpServletResponse response, ProblemWriter p) {
    p.write(
        request,
        response,
        Problems.of(
            HttpStatus.PAYLOAD_TOO_LARGE,
            Problems.PAYLOAD_TOO_LARGE,
            "Payload too large",
            "the request body is over " + LIMIT + " bytes (1 MiB)"));
  }

  /** File uploads stream into the sandbox, bounded by its disk, not by this limit. */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return "PUT".equals(request.getMethod())
        && request.getRequestURI().matches("/sandboxes/[^/]+/files/(content|archive)");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > LIMIT) {
      reject(request, response, problems);
      return;
    }
    chain.doFilter(new Limited(request), response);
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private ServletInputStream stream;

    Limited(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream());
      }
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private long count;

    Counting(ServletInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(long n) throws BodyTooLargeException {
      count += n;
      if (count > LIMIT) {
        throw new BodyTooLargeException();
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
