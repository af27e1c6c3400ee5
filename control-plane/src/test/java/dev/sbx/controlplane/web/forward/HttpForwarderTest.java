package dev.sbx.controlplane.web.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A forwarded HTTP request reaches the owner as the client sent it (method, path, query, body,
 * end-to-end headers) plus the forwarding headers, and the owner's answer comes back as it gave it,
 * both bodies whole: here an upload and a download of 20 MB, as file transfers are.
 */
class HttpForwarderTest {

  private static final int SIZE = 20_000_000;

  private HttpServer owner;
  private final Map<String, String> seen = new ConcurrentHashMap<>();
  private byte[] download;

  @BeforeEach
  void startOwner() throws IOException {
    download = new byte[SIZE];
    new Random(7).nextBytes(download);
    owner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    owner.createContext(
        "/",
        exchange -> {
          seen.put("method", exchange.getRequestMethod());
          seen.put("uri", exchange.getRequestURI().toString());
          exchange.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), v.get(0)));
          seen.put("body-sha256", sha256(exchange.getRequestBody()));
          exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
          exchange.getResponseHeaders().add("X-Sha256", sha256(download));
          exchange.sendResponseHeaders(207, SIZE);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(download);
          }
        });
    owner.start();
  }

  @AfterEach
  void stopOwner() {
    owner.stop(0);
  }

  @Test
  void anUploadAndItsAnswerShouldPassWholeWithTheForwardingHeaders() throws Exception {
    var upload = new byte[SIZE];
    new Random(3).nextBytes(upload);
    var request = new MockHttpServletRequest("PUT", "/sandboxes/sbx-a/files/content");
    request.setQueryString("path=%2Fworkspace%2Fbig");
    request.setContent(upload);
    request.addHeader("Authorization", "Bearer t");
    request.addHeader("Content-Type", "application/octet-stream");
    request.addHeader("Content-Length", String.valueOf(SIZE));
    request.addHeader("Connection", "keep-alive, X-Secret-Hop");
    request.addHeader("Sbx-Peer-Secret", "forged");
    var response = new MockHttpServletResponse();

    new HttpForwarder()
        .forward(
            request,
            response,
            "127.0.0.1:" + owner.getAddress().getPort(),
            "127.0.0.1:9",
            "secret",
            false);

    assertThat(seen.get("method")).isEqualTo("PUT");
    assertThat(seen.get("uri")).isEqualTo("/sandboxes/sbx-a/files/content?path=%2Fworkspace%2Fbig");
    assertThat(seen.get("body-sha256")).isEqualTo(sha256(upload));
    assertThat(seen.get("authorization")).isEqualTo("Bearer t");
    assertThat(seen.get("sbx-forwarded-by")).isEqualTo("127.0.0.1:9");
    assertThat(seen.get("sbx-peer-secret")).as("the client's own is dropped").isEqualTo("secret");
    assertThat(response.getStatus()).isEqualTo(207);
    assertThat(response.getHeader("X-Sha256")).isEqualTo(sha256(download));
    assertThat(response.getContentAsByteArray()).hasSize(SIZE);
    assertThat(sha256(response.getContentAsByteArray())).isEqualTo(sha256(download));
  }

  private static String sha256(InputStream in) throws IOException {
    var bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return sha256(bytes.toByteArray());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
