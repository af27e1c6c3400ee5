package dev.sbx.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The egress benchmarks' probes: single requests direct and through the proxy's socket, curl runs
 * on the host and in a sandbox, and what they print, read back.
 */
final class EgressProbes {

  private EgressProbes() {}

  static void smallDirect(int port) throws IOException {
    try (var socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(EgressOrigin.ADDRESS, port));
      socket.getOutputStream().write("GET /small HTTP/1.1\r\nHost: b\r\n\r\n".getBytes());
      socket.getInputStream().readAllBytes();
    }
  }

  static void smallThroughProxy(Path socket, String target) throws IOException {
    try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(
          ByteBuffer.wrap(
              ("GET " + target + " HTTP/1.1\r\nHost: b\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII)));
      var buffer = ByteBuffer.allocate(4096);
      int total = 0;
      int read;
      while ((read = channel.read(buffer.clear())) >= 0) {
        total += read;
      }
      if (total == 0) {
        throw new IOException("the proxy answered nothing");
      }
    }
  }

  static String readHead(SocketChannel channel) throws IOException {
    var out = new ByteArrayOutputStream();
    var one = ByteBuffer.allocate(1);
    while (!out.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      if (channel.read(one.clear()) < 0) {
        break;
      }
      out.write(one.get(0));
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** MB/s of one host curl of /big. */
  static double hostCurl(String... args) throws Exception {
    var command =
        new ArrayList<>(
            List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{size_download} %{speed_download}"));
    command.addAll(List.of(args));
    return speed(run(command));
  }

  static double sandboxCurl(Api api, String sandbox, String url) throws IOException {
    var result =
        api.exec(
            sandbox,
            "curl",
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{size_download} %{speed_download}",
            url);
    return speed((String) result.get("stdout"));
  }

  static double speed(String curlOutput) throws IOException {
    var parts = curlOutput.trim().split(" ");
    if (parts.length != 2 || Long.parseLong(parts[0]) != EgressOrigin.BIG_BYTES) {
      throw new IOException("curl did not get the 200 MB: " + curlOutput);
    }
    return Double.parseDouble(parts[1]) / 1e6;
  }

  static Samples seconds(Object text) {
    var samples = new Samples();
    for (var line : String.valueOf(text).split("\n")) {
      if (!line.isBlank()) {
        samples.add(Double.parseDouble(line.trim()) * 1000);
      }
    }
    return samples;
  }

  static String run(List<String> command) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(false).start();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + err);
    }
    return out;
  }

  /** Pids of egress forwarders, found by their command line. */
  static List<String> forwarders() throws IOException {
    var found = new ArrayList<String>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (var dir : (Iterable<Path>) procs::iterator) {
        var name = dir.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          var cmdline = Files.readString(dir.resolve("cmdline"));
          // The native sbx-init's forward mode, or the JDK forwarder without a C compiler.
          if (cmdline.contains("EgressForwarder") || cmdline.contains("--forward")) {
            found.add(name);
          }
        } catch (IOException e) {
          // gone, or not ours to read
        }
      }
    }
    return found;
  }

  static long kb(String text, String field) {
    for (var line : text.split("\n")) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }
}
