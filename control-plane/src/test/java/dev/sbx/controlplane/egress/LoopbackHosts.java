package dev.sbx.controlplane.egress;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Stand-ins for hosts on the internet, all on this machine: an HTTP and an HTTPS server on
 * 127.0.0.7 (the names of {@code egress-hosts} lead there), with a certificate for {@code
 * allowed.test} made by the JDK's keytool, and a server on 127.0.0.8, a forbidden address, that
 * counts every connection it gets (there should be none).
 */
final class LoopbackHosts implements AutoCloseable {

  static final String ALLOWED_IP = "127.0.0.7";
  static final String FORBIDDEN_IP = "127.0.0.8";
  static final String BODY = "hello from the internet\n";

  private final HttpServer http;
  private final HttpsServer https;
  private final ServerSocket forbidden;
  private final AtomicInteger forbiddenConnections = new AtomicInteger();
  private final Thread forbiddenAcceptor;
  private final String caPem;

  LoopbackHosts(Path dir) throws Exception {
    http = HttpServer.create(new InetSocketAddress(ALLOWED_IP, 0), 0);
    http.createContext("/", LoopbackHosts::answer);
    http.start();
    var keystore = dir.resolve("allowed.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "allowed",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=allowed.test",
        "-ext",
        "SAN=dns:allowed.test",
        "-validity",
        "2",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    var pem = dir.resolve("allowed.pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "allowed",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        pem.toString());
    caPem = Files.readString(pem);
    https = HttpsServer.create(new InetSocketAddress(ALLOWED_IP, 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(tls(keystore)));
    https.createContext("/", LoopbackHosts::answer);
    https.start();
    forbidden = new ServerSocket();
    forbidden.bind(new InetSocketAddress(FORBIDDEN_IP, 0));
    forbiddenAcceptor =
        new Thread(
            () -> {
              while (!forbidden.isClosed()) {
                try (var socket = forbidden.accept()) {
                  forbiddenConnections.incrementAndGet();
                } catch (IOException e) {
                  return;
                }
              }
            },
            "forbidden-host");
    forbiddenAcceptor.setDaemon(true);
    forbiddenAcceptor.start();
  }

  int httpPort() {
    return http.getAddress().getPort();
  }

  int httpsPort() {
    return https.getAddress().getPort();
  }

  int forbiddenPort() {
    return forbidden.getLocalPort();
  }

  int forbiddenConnections() {
    return forbiddenConnections.get();
  }

  /** The certificate of allowed.test, for curl's --cacert. */
  String caPem() {
    return caPem;
  }

  /** BODY, or for a request with a body, how many bytes of it came. */
  private static void answer(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    long received = exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
    var text = "GET".equals(exchange.getRequestMethod()) ? BODY : "received " + received + "\n";
    var body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static SSLContext tls(Path keystore) throws Exception {
    var store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    var context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    var command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }

  @Override
  public void close() throws IOException {
    http.stop(0);
    https.stop(0);
    forbidden.close();
  }
}
