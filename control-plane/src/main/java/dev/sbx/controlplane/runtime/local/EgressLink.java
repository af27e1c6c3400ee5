package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.EgressChannels;
import dev.sbx.controlplane.runtime.ExecListener;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.ExecSpec;
import dev.sbx.controlplane.runtime.OutputStreamKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local sandbox's way out: the egress proxy listening on a unix socket in the sandbox's folder
 * (seen inside as {@code /run/sbx/egress/proxy.sock}, and by no other sandbox), and a forwarder
 * inside the sandbox carrying {@code 127.0.0.1:3128} to it: the native sbx-init's {@code --forward}
 * mode, or {@link EgressForwarder} on the control plane's JDK where the build had no C compiler
 * (about 150 ms to start and 22 MB per sandbox, against a few ms and well under 1 MB). Both start
 * only once the sandbox may reach something, so a sandbox whose network is none pays nothing.
 */
final class EgressLink {

  static final int PORT = 3128;

  /**
   * The JDK running the control plane, which sandboxes see when it lies under /usr (as the
   * distributions' JDKs do); {@link BwrapCommand} binds it in otherwise.
   */
  static final Path JAVA_HOME = Path.of(System.getProperty("java.home")).toAbsolutePath();

  /** Where sandboxes find a JDK outside /usr. */
  static final String JAVA_HOME_INSIDE = "/run/sbx-java";

  static final String JAVA =
      (JAVA_HOME.startsWith("/usr/") ? JAVA_HOME.toString() : JAVA_HOME_INSIDE) + "/bin/java";
  static final String EXEC_ID = "egress-forwarder";

  /** What every exec of a sandbox with its own network namespace is told about the proxy. */
  static final Map<String, String> PROXY_ENV =
      Map.of(
          "HTTP_PROXY", "http://127.0.0.1:" + PORT,
          "HTTPS_PROXY", "http://127.0.0.1:" + PORT,
          "http_proxy", "http://127.0.0.1:" + PORT,
          "https_proxy", "http://127.0.0.1:" + PORT,
          "NO_PROXY", "localhost,127.0.0.1,::1",
          "no_proxy", "localhost,127.0.0.1,::1");

  private static final Logger logger = LoggerFactory.getLogger(EgressLink.class);
  private static final String INSIDE = "/run/sbx/egress";
  private static final long READY_TIMEOUT_SECONDS = 15;
  private static final List<String> CLASS_FILES =
      List.of("EgressForwarder.class", "EgressForwarder$Pipe.class");
  private static final String PACKAGE_PATH = "dev/sbx/controlplane/runtime/local/";

  private final String sandboxId;
  private final SandboxFolder folder;
  private final boolean nativeForwarder;
  private @Nullable EgressChannels channels; // guarded by this
  // Not guarded by this: the forwarder's end is heard on the init's reader thread, which ensure()
  // may be waiting for while it holds the lock.
  private final AtomicReference<@Nullable CompletableFuture<Void>> forwarder =
      new AtomicReference<>();
  private boolean listening; // guarded by this

  /**
   * @param nativeForwarder whether sandboxes have the native sbx-init, which forwards too
   */
  EgressLink(String sandboxId, SandboxFolder folder, boolean nativeForwarder) {
    this.sandboxId = sandboxId;
    this.folder = folder;
    this.nativeForwarder = nativeForwarder;
  }

  synchronized void use(EgressChannels proxy) {
    channels = proxy;
  }

  /**
   * Makes sure the proxy listens for this sandbox and the forwarder runs in it; returns once
   * sbx-init started it. The future completes when the forwarder listens.
   */
  synchronized CompletableFuture<Void> ensure(SandboxInit init) {
    if (channels == null) {
      return CompletableFuture.failedFuture(new IOException("the egress proxy is not running"));
    }
    var running = forwarder.get();
    if (running != null && !running.isCompletedExceptionally()) {
      return running;
    }
    var started = new CompletableFuture<Void>();
    forwarder.set(started);
    try {
      if (!listening) {
        listen();
        listening = true;
      }
      init.exec(spec(), new ForwarderListener(started));
    } catch (IOException | RuntimeException e) {
      started.completeExceptionally(e);
    }
    return started;
  }

  /**
   * Waits for the forwarder of a sandbox with network before an exec, so that the exec's first
   * connection finds it; if it does not come up, the exec runs anyway and says so in the log.
   */
  void await(SandboxInit init) {
    var ready = ensure(init);
    try {
      ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      logger.warn(
          "sandbox {}: its egress forwarder is not running: {}",
          sandboxId,
          e.getCause() == null ? e.toString() : e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The proxy stops listening for the sandbox (it is deleted or stopped). */
  synchronized void close() {
    if (channels != null && listening) {
      channels.close(sandboxId);
    }
    listening = false;
    forwarder.set(null);
  }

  private void listen() throws IOException {
    var dir = folder.run().resolve("egress");
    Files.createDirectories(dir);
    if (!nativeForwarder) {
      copyForwarder(dir.resolve("classes").resolve(PACKAGE_PATH));
    }
    var socket = dir.resolve("proxy.sock");
    channels.listen(sandboxId, socket);
    // The socket belongs to whoever owns the sandbox's writable folders: the sandbox's host user.
    var owner = Files.getAttribute(folder.execs(), "unix:uid");
    if (!owner.equals(Files.getAttribute(socket, "unix:uid"))) {
      Files.setAttribute(socket, "unix:uid", owner);
      Files.setAttribute(socket, "unix:gid", Files.getAttribute(folder.execs(), "unix:gid"));
    }
  }

  private static void copyForwarder(Path target) throws IOException {
    Files.createDirectories(target);
    for (var name : CLASS_FILES) {
      try (InputStream in = EgressLink.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException(name + " is missing from the control plane");
        }
        Files.write(target.resolve(name), in.readAllBytes());
      }
    }
  }

  private ExecSpec spec() {
    if (nativeForwarder) {
      var command =
          List.of(
              InitProgram.INSIDE_NATIVE, "--forward", String.valueOf(PORT), INSIDE + "/proxy.sock");
      return new ExecSpec(EXEC_ID, command, Map.of(), "/", null);
    }
    var command = new ArrayList<String>();
    // The sandbox's environment may hold JVM options meant for its own programs.
    command.addAll(
        List.of(
            "/usr/bin/env",
            "-u",
            "JAVA_TOOL_OPTIONS",
            "-u",
            "JDK_JAVA_OPTIONS",
            "-u",
            "_JAVA_OPTIONS",
            JAVA));
    command.addAll(JVM_FLAGS);
    command.addAll(
        List.of(
            "-cp",
            INSIDE + "/classes",
            EgressForwarder.class.getName(),
            String.valueOf(PORT),
            INSIDE + "/proxy.sock"));
    return new ExecSpec(EXEC_ID, command, Map.of(), "/", null);
  }

  /**
   * The smallest JVM that relays well (measured on JDK 17: about 22 MB proportional set size and 11
   * threads; it copies 64 KiB per system call, so the interpreter costs little).
   */
  static final List<String> JVM_FLAGS =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-XX:+UseSerialGC",
          "-Xms1m",
          "-Xmx8m",
          "-Xss256k",
          "-XX:MaxMetaspaceSize=16m",
          "-XX:-UsePerfData",
          "-Xshare:auto");

  /** Hears the forwarder say it listens, or end. */
  private final class ForwarderListener implements ExecListener {
    private final CompletableFuture<Void> started;
    private final StringBuilder said = new StringBuilder();

    ForwarderListener(CompletableFuture<Void> started) {
      this.started = started;
    }

    @Override
    public void output(OutputStreamKind stream, byte[] data, int length) {
      synchronized (said) {
        if (said.length() < 2000) {
          said.append(new String(data, 0, Math.min(length, 2000), StandardCharsets.UTF_8));
        }
        if (stream == OutputStreamKind.STDOUT && said.indexOf("listening") >= 0) {
          started.complete(null);
        }
      }
    }

    @Override
    public void finished(ExecOutcome outcome) {
      String text;
      synchronized (said) {
        text = said.toString().strip();
      }
      started.completeExceptionally(new IOException("it exited: " + escape(text)));
      forwarder.compareAndSet(started, null);
      if (!outcome.lost()) {
        logger.info(
            "sandbox {}: its egress forwarder ended ({}); the next exec starts it again",
            sandboxId,
            outcome.exitCode());
      }
    }
  }

  /** The sandbox wrote it: printable ASCII only, and short. */
  private static String escape(String text) {
    var out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
