package dev.sbx.controlplane.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.HostEntry;
import dev.sbx.controlplane.runtime.NetworkMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy on its own, with real sockets: sandboxes' unix sockets on one side, servers on loopback
 * addresses standing in for the internet on the other. 127.0.0.7 is the one address the policy's
 * private-range exception opens; 127.0.0.8 stands for a forbidden range.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EgressProxyTest {

  private static final String ALLOWED_IP = "127.0.0.7";
  private static final String FORBIDDEN_IP = "127.0.0.8";

  @TempDir Path dir;

  private final Map<String, EgressPolicy> policies = new ConcurrentHashMap<>();
  private final List<String> httpRequests = new CopyOnWriteArrayList<>();
  private final CountDownLatch slowLookup = new CountDownLatch(1);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private EgressProxy proxy;
  private HttpServer http;
  private EchoServer echo;
  private EchoServer forbidden;

  @BeforeEach
  void start() throws IOException {
    http = HttpServer.create(new InetSocketAddress(ALLOWED_IP, 0), 0);
    http.createContext(
        "/",
        exchange -> {
          var seen =
              new StringBuilder(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          exchange
              .getRequestHeaders()
              .forEach((k, v) -> seen.append("\n").append(k).append(": ").append(v));
          httpRequests.add(seen.toString());
          var body = "hello from allowed.test\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
    echo = new EchoServer(ALLOWED_IP, false);
    forbidden = new EchoServer(FORBIDDEN_IP, false);
    proxy = proxy(8, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    proxy.close();
    http.stop(0);
    echo.close();
    forbidden.close();
    slowLookup.countDown();
  }

  private EgressProxy proxy(int maxConnections, Duration idle) {
    var settings =
        new EgressSettings(
            maxConnections,
            idle,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            List.of(HostEntry.parse(ALLOWED_IP + "/32")),
            EgressSettings.AUDIT_SIZE);
    return new EgressProxy(
        settings,
        id -> Optional.ofNullable(policies.get(id)),
        new ForbiddenRanges(settings.allowPrivate(), Set::of),
        new EgressMetrics(registry),
        this::lookup,
        Clock.systemUTC());
  }

  private List<InetAddress> lookup(String host) throws UnknownHostException {
    return switch (host) {
      case "allowed.test", "denied.test", "echo.test" -> List.of(InetAddress.getByName(ALLOWED_IP));
      case "rebind.test" -> List.of(InetAddress.getByName(FORBIDDEN_IP));
      case "slow.test" -> {
        try {
          slowLookup.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new UnknownHostException(host);
      }
      default -> throw new UnknownHostException(host);
    };
  }

  private Path sandbox(String id, NetworkMode mode, List<String> allowed, List<String> disallowed)
      throws IOException {
    policies.put(id, new EgressPolicy(mode, allowed, disallowed));
    var socket = dir.resolve(id + ".sock");
    proxy.listen(id, socket);
    return socket;
  }

  private Path allowlisted(String id) throws IOException {
    return sandbox(id, NetworkMode.ALLOWLIST, List.of("allowed.test", "echo.test"), List.of());
  }

  @Test
  void connectWhenHostIsAllowedShouldTunnelBytesBothWays() throws IOException {
    var socket = allowlisted("sbx-a");
    try (var client = ProxyClient.unix(socket)) {
      var head =
          client
              .send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\nHost: echo.test\r\n\r\n")
              .head();
      assertThat(head).startsWith("HTTP/1.1 200 ");
      assertThat(client.send("ping\n").read(5)).isEqualTo("ping\n");
    }
    await().untilAsserted(() -> assertThat(proxy.attempts("sbx-a").get(0).open()).isFalse());
    var attempt = proxy.attempts("sbx-a").get(0);
    assertThat(attempt.decision()).isEqualTo("allowed");
    assertThat(attempt.host()).isEqualTo("echo.test");
    assertThat(attempt.address()).isEqualTo(ALLOWED_IP);
    assertThat(attempt.reason()).isEqualTo("allowed_hosts: echo.test");
    assertThat(attempt.bytesSent()).isEqualTo(5);
    assertThat(attempt.bytesReceived()).isEqualTo(5);
    assertThat(attempt.durationMs()).isNotNull();
  }

  @Test
  void connectWhenAnyBytesFollowTheRequestAtOnceShouldPassThemOn() throws IOException {
    var socket = allowlisted("sbx-a");
    try (var client = ProxyClient.unix(socket)) {
      client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\nearly");
      assertThat(client.head()).startsWith("HTTP/1.1 200 ");
      assertThat(client.read(5)).isEqualTo("early");
    }
  }

  @Test
  void httpWhenHostIsAllowedShouldForwardTheRequestInOriginForm() throws IOException {
    var socket = allowlisted("sbx-a");
    try (var client = ProxyClient.unix(socket)) {
      var response =
          client
              .send(
                  "GET http://allowed.test:"
                      + http.getAddress().getPort()
                      + "/path?q=1 HTTP/1.1\r\nHost: allowed.test\r\nProxy-Authorization: Basic c2J4LWI6\r\n"
                      + "Proxy-Connection: keep-alive\r\nX-Kept: yes\r\n\r\n")
              .rest();
      assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello from allowed.test\n");
    }
    assertThat(httpRequests).hasSize(1);
    assertThat(httpRequests.get(0))
        .startsWith("GET /path?q=1")
        .contains("X-kept: [yes]")
        .doesNotContainIgnoringCase("proxy-");
  }

  @Test
  void httpWhenHostHeaderNamesAnotherHostShouldSendTheHostThePolicyAllowed() throws IOException {
    var socket = allowlisted("sbx-a");
    var authority = "allowed.test:" + http.getAddress().getPort();
    try (var client = ProxyClient.unix(socket)) {
      var response =
          client
              .send(
                  "GET http://"
                      + authority
                      + "/ HTTP/1.1\r\nHost: denied.test\r\nhost: denied.test\r\n\r\n")
              .rest();
      assertThat(response).startsWith("HTTP/1.1 200");
    }
    assertThat(httpRequests).hasSize(1);
    assertThat(httpRequests.get(0)).contains("Host: [" + authority + "]").doesNotContain("denied");
  }

  @Test
  void httpWhenHostAnswersShouldTellTheSandboxTheConnectionCloses() throws Exception {
    var socket = allowlisted("sbx-a");
    var answer =
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive, X-Hop\r\n"
            + "Keep-Alive: timeout=5\r\nX-Hop: 1\r\nX-Kept: yes\r\n\r\nabc";
    var passed =
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-Kept: yes\r\nConnection: close\r\n\r\nabc";
    try (var host = CannedHost.answering(ALLOWED_IP, answer);
        var client = ProxyClient.unix(socket)) {
      var response =
          client
              .send("GET http://allowed.test:" + host.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n")
              .rest();
      assertThat(response).isEqualTo(passed);
    }
    await().untilAsserted(() -> assertThat(proxy.attempts("sbx-a").get(0).open()).isFalse());
    assertThat(proxy.attempts("sbx-a").get(0).bytesReceived()).isEqualTo(passed.length());
  }

  @Test
  void httpWhenHostAnswers100ContinueShouldPassItBeforeTheBodyAndTheAnswerAfter() throws Exception {
    var socket = allowlisted("sbx-a");
    try (var host =
            CannedHost.continuing(
                ALLOWED_IP,
                "HTTP/1.1 100 Continue\r\n\r\n",
                4,
                "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
        var client = ProxyClient.unix(socket)) {
      var interim =
          client
              .send(
                  "PUT http://allowed.test:"
                      + host.port()
                      + "/up HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
              .head();
      assertThat(interim).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      assertThat(client.send("body").rest())
          .isEqualTo("HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
      assertThat(host.received()).startsWith("PUT /up HTTP/1.1\r\n").endsWith("\r\n\r\nbody");
    }
  }

  static List<Arguments> pipelined() {
    return List.of(
        Arguments.of("GET", "\r\n", "", ""),
        Arguments.of("POST", "Content-Length: 4\r\n\r\n", "body", "body"),
        Arguments.of(
            "POST",
            "Transfer-Encoding: chunked\r\n\r\n",
            "4\r\nbody\r\n0\r\nX-Trailer: 1\r\n\r\n",
            "4\r\nbody\r\n0\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("pipelined")
  void httpWhenARequestIsPipelinedBehindTheFirstShouldPassOnlyTheFirstAndItsBody(
      String method, String headers, String body, String bodyPassedOn) throws Exception {
    var socket = allowlisted("sbx-a");
    try (var host =
            CannedHost.answeringThenReadingAll(
                ALLOWED_IP, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        var client = ProxyClient.unix(socket)) {
      var authority = "allowed.test:" + host.port();
      client.send(
          method
              + " http://"
              + authority
              + "/first HTTP/1.1\r\n"
              + headers
              + body
              + "GET http://denied.test:"
              + host.port()
              + "/second HTTP/1.1\r\nHost: denied.test\r\n\r\n");
      assertThat(client.head()).startsWith("HTTP/1.1 200 OK\r\n");
      assertThat(client.read(2)).isEqualTo("ok");
      client.close();
      var received = host.received();
      assertThat(received)
          .startsWith(method + " /first HTTP/1.1\r\nHost: " + authority + "\r\n")
          .endsWith("\r\n\r\n" + bodyPassedOn)
          .doesNotContain("second")
          .doesNotContain("denied");
      if (!body.isEmpty()) {
        assertThat(received.contains("Content-Length")).isEqualTo(!headers.contains("chunked"));
      }
    }
  }

  @Test
  void httpWhenBodiesAreLargeShouldPassEveryByteFramedAsTheHostExpects() throws IOException {
    http.createContext(
        "/count",
        exchange -> {
          var bytes = exchange.getRequestBody().readAllBytes();
          var crc = new CRC32();
          crc.update(bytes);
          var answer = (bytes.length + " " + crc.getValue()).getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    var socket = allowlisted("sbx-a");
    var data = new byte[300_000];
    new Random(7).nextBytes(data);
    var crc = new CRC32();
    crc.update(data);
    var expected = data.length + " " + crc.getValue();
    var url = "http://allowed.test:" + http.getAddress().getPort() + "/count";
    var binary = new String(data, StandardCharsets.ISO_8859_1);
    try (var client = ProxyClient.unix(socket)) {
      var response =
          client
              .send("POST " + url + " HTTP/1.1\r\nContent-Length: " + data.length + "\r\n\r\n")
              .send(binary)
              .rest();
      assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n" + expected);
    }
    try (var client = ProxyClient.unix(socket)) {
      client.send("POST " + url + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (var part :
          List.of(
              binary.substring(0, 100_000),
              binary.substring(100_000, 100_001),
              binary.substring(100_001))) {
        client.send(Integer.toHexString(part.length()) + "\r\n" + part + "\r\n");
      }
      var response = client.send("0\r\n\r\n").rest();
      assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n" + expected);
    }
  }

  @Test
  void httpWhenBodyFramingIsAmbiguousShouldAnswer400() throws IOException {
    var socket = allowlisted("sbx-a");
    for (var framing :
        List.of(
            "Transfer-Encoding: gzip, chunked\r\n",
            "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
            "Content-Length: 5\r\nContent-Length: 6\r\n")) {
      try (var client = ProxyClient.unix(socket)) {
        var response =
            client
                .send(
                    "POST http://allowed.test:"
                        + http.getAddress().getPort()
                        + "/ HTTP/1.1\r\n"
                        + framing
                        + "\r\n0\r\n\r\n")
                .head();
        assertThat(response).as(framing).startsWith("HTTP/1.1 400 ");
      }
    }
    assertThat(httpRequests).isEmpty();
  }

  @Test
  void httpWhenHostAnswersSomethingElseThanHttpShouldAnswer502() throws Exception {
    var socket = allowlisted("sbx-a");
    try (var host = CannedHost.answering(ALLOWED_IP, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
        var client = ProxyClient.unix(socket)) {
      var response =
          client.send("GET http://allowed.test:" + host.port() + "/ HTTP/1.1\r\n\r\n").rest();
      assertThat(response)
          .startsWith("HTTP/1.1 502 malformed response from allowed.test\r\n")
          .doesNotContain("SSH");
    }
  }

  @Test
  void connectWhenHostIsNotAllowedShouldAnswer403WithTheReason() throws IOException {
    var socket = allowlisted("sbx-a");
    try (var client = ProxyClient.unix(socket)) {
      var response = client.send("CONNECT denied.test:443 HTTP/1.1\r\n\r\n").rest();
      assertThat(response)
          .startsWith("HTTP/1.1 403 not in allowed_hosts\r\n")
          .endsWith("\r\n\r\nnot in allowed_hosts\n");
    }
    var attempt = proxy.attempts("sbx-a").get(0);
    assertThat(attempt.decision()).isEqualTo("denied");
    assertThat(attempt.host()).isEqualTo("denied.test");
    assertThat(counter("sandbox.egress.connections", "decision", "denied")).isEqualTo(1);
  }

  @Test
  void connectWhenAllowedNameResolvesToAForbiddenAddressShouldRefuseWithoutConnecting()
      throws IOException {
    var socket = sandbox("sbx-a", NetworkMode.ALLOWLIST, List.of("rebind.test"), List.of());
    try (var client = ProxyClient.unix(socket)) {
      var response =
          client.send("CONNECT rebind.test:" + forbidden.port() + " HTTP/1.1\r\n\r\n").rest();
      assertThat(response).startsWith("HTTP/1.1 403 127.0.0.8 is a loopback address\r\n");
    }
    assertThat(forbidden.accepted()).isZero();
    assertThat(proxy.attempts("sbx-a").get(0).address()).isEqualTo(FORBIDDEN_IP);
  }

  @Test
  void connectWhenOpenShouldStillHonourDisallowedHostsAndForbiddenRanges() throws IOException {
    var socket = sandbox("sbx-a", NetworkMode.OPEN, List.of(), List.of("denied.test"));
    try (var client = ProxyClient.unix(socket)) {
      assertThat(client.send("CONNECT denied.test:443 HTTP/1.1\r\n\r\n").head())
          .startsWith("HTTP/1.1 403 disallowed_hosts: denied.test");
    }
    try (var client = ProxyClient.unix(socket)) {
      assertThat(
              client
                  .send("CONNECT " + FORBIDDEN_IP + ":" + forbidden.port() + " HTTP/1.1\r\n\r\n")
                  .head())
          .startsWith("HTTP/1.1 403 127.0.0.8 is a loopback address");
    }
    try (var client = ProxyClient.unix(socket)) {
      assertThat(client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n").head())
          .startsWith("HTTP/1.1 200 ");
    }
    assertThat(forbidden.accepted()).isZero();
  }

  @Test
  void connectWhenModeIsNoneShouldRefuseEverything() throws IOException {
    var socket = sandbox("sbx-a", NetworkMode.NONE, List.of("echo.test"), List.of());
    try (var client = ProxyClient.unix(socket)) {
      assertThat(client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n").head())
          .startsWith("HTTP/1.1 403 network is none");
    }
    assertThat(echo.accepted()).isZero();
  }

  @Test
  void connectWhenPolicyChangesShouldApplyToTheNextConnection() throws IOException {
    var socket = sandbox("sbx-a", NetworkMode.ALLOWLIST, List.of("allowed.test"), List.of());
    try (var client = ProxyClient.unix(socket)) {
      assertThat(client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n").head())
          .startsWith("HTTP/1.1 403 ");
    }
    policies.put("sbx-a", new EgressPolicy(NetworkMode.ALLOWLIST, List.of("echo.test"), List.of()));
    try (var client = ProxyClient.unix(socket)) {
      assertThat(client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n").head())
          .startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void requestWhenSandboxClaimsAnotherIdentityShouldStillBeItsOwn() throws IOException {
    var a = sandbox("sbx-a", NetworkMode.NONE, List.of(), List.of());
    allowlisted("sbx-b");
    try (var client = ProxyClient.unix(a)) {
      var head =
          client
              .send(
                  "CONNECT echo.test:"
                      + echo.port()
                      + " HTTP/1.1\r\nProxy-Authorization: Basic "
                      + Base64.getEncoder().encodeToString("sbx-b:".getBytes())
                      + "\r\nX-Sbx-Sandbox: sbx-b\r\n\r\n")
              .head();
      assertThat(head).startsWith("HTTP/1.1 403 network is none");
    }
    assertThat(proxy.attempts("sbx-a")).hasSize(1);
    assertThat(proxy.attempts("sbx-b")).isEmpty();
  }

  @Test
  void requestWhenMalformedShouldAnswer400() throws IOException {
    var socket = allowlisted("sbx-a");
    for (var bad :
        List.of(
            "GET /relative HTTP/1.1\r\n\r\n",
            "CONNECT exa\u0001mple.com:443 HTTP/1.1\r\n\r\n",
            "CONNECT allowed.test:99999 HTTP/1.1\r\n\r\n",
            "GET https://allowed.test/ HTTP/1.1\r\n\r\n",
            "GET http://user@allowed.test/ HTTP/1.1\r\n\r\n",
            "\u0016\u0003\u0001garbage\r\n\r\n")) {
      try (var client = ProxyClient.unix(socket)) {
        assertThat(client.send(bad).head()).as(bad).startsWith("HTTP/1.1 400 ");
      }
    }
  }

  @Test
  void connectWhenNameDoesNotResolveShouldAnswer502() throws IOException {
    var socket = sandbox("sbx-a", NetworkMode.OPEN, List.of(), List.of());
    try (var client = ProxyClient.unix(socket)) {
      assertThat(client.send("CONNECT nowhere.test:443 HTTP/1.1\r\n\r\n").head())
          .startsWith("HTTP/1.1 502 cannot resolve nowhere.test");
    }
    assertThat(proxy.attempts("sbx-a").get(0).decision()).isEqualTo("failed");
  }

  @Test
  void connectWhenSandboxHasAllItsConnectionsShouldAnswer429AndLeaveOthersAlone()
      throws IOException {
    var a = allowlisted("sbx-a");
    var b = allowlisted("sbx-b");
    var open = new ArrayList<ProxyClient>();
    try {
      for (int i = 0; i < 8; i++) {
        var client = ProxyClient.unix(a);
        open.add(client);
        assertThat(client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n").head())
            .startsWith("HTTP/1.1 200 ");
      }
      try (var ninth = ProxyClient.unix(a)) {
        assertThat(ninth.head()).startsWith("HTTP/1.1 429 connection limit (8) reached");
      }
      try (var other = ProxyClient.unix(b)) {
        assertThat(other.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n").head())
            .startsWith("HTTP/1.1 200 ");
      }
    } finally {
      for (var client : open) {
        client.close();
      }
    }
    await().until(() -> proxy.openConnections("sbx-a") == 0);
  }

  @Test
  void connectWhenOneSandboxWaitsOnAStalledHostAndDnsShouldNotSlowAnother() throws IOException {
    var a = sandbox("sbx-a", NetworkMode.OPEN, List.of(), List.of());
    var b = allowlisted("sbx-b");
    try (var stalled = new EchoServer(ALLOWED_IP, true)) {
      policies.put("sbx-a", new EgressPolicy(NetworkMode.OPEN, List.of(ALLOWED_IP), List.of()));
      var waiting = new ArrayList<ProxyClient>();
      try {
        for (int i = 0; i < 4; i++) {
          var tunnel = ProxyClient.unix(a);
          waiting.add(tunnel);
          tunnel.send("CONNECT " + ALLOWED_IP + ":" + stalled.port() + " HTTP/1.1\r\n\r\n");
          var lookup = ProxyClient.unix(a);
          waiting.add(lookup);
          lookup.send("CONNECT slow.test:443 HTTP/1.1\r\n\r\n");
        }
        for (var tunnel : waiting.subList(0, 1)) {
          assertThat(tunnel.head()).startsWith("HTTP/1.1 200 ");
          tunnel.send("x".repeat(100_000)); // the stalled host reads none of it
        }
        long started = System.nanoTime();
        try (var other = ProxyClient.unix(b)) {
          var response =
              other
                  .send(
                      "GET http://allowed.test:"
                          + http.getAddress().getPort()
                          + "/ HTTP/1.1\r\n\r\n")
                  .rest();
          assertThat(response).startsWith("HTTP/1.1 200");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      } finally {
        slowLookup.countDown();
        for (var client : waiting) {
          client.close();
        }
      }
    }
  }

  @Test
  void proxyWhenAThousandTunnelsFromManySandboxesAreOpenShouldKeepServing() throws IOException {
    proxy.close();
    proxy = proxy(64, Duration.ofSeconds(60));
    var sockets = new ArrayList<Path>();
    for (int s = 0; s < 20; s++) {
      sockets.add(allowlisted("sbx-" + s));
    }
    var open = new ArrayList<ProxyClient>();
    try {
      for (int i = 0; i < 1000; i++) {
        var client = ProxyClient.unix(sockets.get(i % sockets.size()));
        open.add(client);
        client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n");
      }
      for (var client : open) {
        assertThat(client.head()).startsWith("HTTP/1.1 200 ");
      }
      for (int i = 0; i < open.size(); i++) {
        var line = String.format("%04d", i);
        assertThat(open.get(i).send(line).read(4)).isEqualTo(line);
      }
      var other = allowlisted("sbx-other");
      long started = System.nanoTime();
      try (var client = ProxyClient.unix(other)) {
        var response =
            client
                .send(
                    "GET http://allowed.test:" + http.getAddress().getPort() + "/ HTTP/1.1\r\n\r\n")
                .rest();
        assertThat(response).startsWith("HTTP/1.1 200");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      assertThat(proxy.openConnections("sbx-0")).isEqualTo(50);
    } finally {
      for (var client : open) {
        client.close();
      }
    }
    await().until(() -> proxy.openConnections("sbx-0") == 0);
  }

  @Test
  void connectionWhenIdleForTheTimeoutShouldBeClosed() throws IOException {
    proxy.close();
    proxy = proxy(8, Duration.ofMillis(300));
    var socket = allowlisted("sbx-a");
    try (var client = ProxyClient.unix(socket)) {
      assertThat(client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n").head())
          .startsWith("HTTP/1.1 200 ");
      assertThat(client.closedByPeer()).isTrue();
    }
    await().untilAsserted(() -> assertThat(proxy.attempts("sbx-a").get(0).open()).isFalse());
  }

  // Over TCP (the Kubernetes runtime's way in). Netty 4.2's NIO unix-socket channel ignores
  // ALLOW_HALF_CLOSURE, so a local sandbox's half-close ends the whole connection.
  @Test
  void tunnelWhenSandboxEndsItsOutputShouldStillGetTheAnswer() throws IOException {
    allowlisted("sbx-a");
    var address = proxy.listen(new InetSocketAddress("127.0.0.1", 0), ip -> Optional.of("sbx-a"));
    try (var socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      out.write(
          ("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      var in = socket.getInputStream();
      var head =
          new String(in.readNBytes(ProxyResponses.ESTABLISHED.length()), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo(ProxyResponses.ESTABLISHED);
      out.write("last words".getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("last words");
    }
  }

  @Test
  void tcpListenerWhenCallerIsNoSandboxShouldAnswer403() throws IOException {
    var address = proxy.listen(new InetSocketAddress("127.0.0.1", 0), ip -> Optional.empty());
    try (var socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout(10_000);
      var answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 403 not a sandbox");
    }
  }

  @Test
  void countersWhenBytesFlowShouldCountThemEachWay() throws IOException {
    var socket = allowlisted("sbx-a");
    try (var client = ProxyClient.unix(socket)) {
      client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n").head();
      client.send("0123456789").read(10);
    }
    await()
        .untilAsserted(
            () -> {
              assertThat(counter("sandbox.egress.bytes", "direction", "out")).isEqualTo(10);
              assertThat(counter("sandbox.egress.bytes", "direction", "in")).isEqualTo(10);
              assertThat(counter("sandbox.egress.connections", "decision", "allowed")).isEqualTo(1);
            });
  }

  @Test
  void listenWhenSocketFileIsLeftFromBeforeShouldReplaceIt() throws IOException {
    var socket = dir.resolve("sbx-a.sock");
    Files.writeString(socket, "stale");
    policies.put("sbx-a", new EgressPolicy(NetworkMode.ALLOWLIST, List.of("echo.test"), List.of()));
    proxy.listen("sbx-a", socket);
    try (var client = ProxyClient.unix(socket)) {
      assertThat(client.send("CONNECT echo.test:" + echo.port() + " HTTP/1.1\r\n\r\n").head())
          .startsWith("HTTP/1.1 200 ");
    }
  }

  private double counter(String name, String tag, String value) {
    var counter = registry.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }
}
