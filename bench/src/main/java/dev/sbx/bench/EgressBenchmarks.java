package dev.sbx.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The egress proxy, measured side by side with the direct path in the same run: a 200 MB download
 * (curl on the host straight to the origin, curl on the host through the proxy's unix socket, and
 * curl in a sandbox through its forwarder and the proxy), the time a connection's set-up gains, and
 * 1,000 tunnels open at once from five sandboxes with the control plane's heap after GC. The origin
 * listens on 127.0.0.2, which the sandboxes' {@code allowed_hosts} name exactly.
 */
final class EgressBenchmarks {

  private static final String ALLOW = "{\"allowed_hosts\":[\"" + EgressOrigin.ADDRESS + "\"]}";

  private final URI base;
  private final Path stateDir;
  private final Scale scale;
  private final Results results;
  private final Jvm controlPlane;

  EgressBenchmarks(URI base, Path stateDir, Scale scale, Results results, Jvm controlPlane) {
    this.base = base;
    this.stateDir = stateDir;
    this.scale = scale;
    this.results = results;
    this.controlPlane = controlPlane;
  }

  void run() throws Exception {
    try (var origin = new EgressOrigin();
        var api = new Api(base)) {
      createToFirstExec(api);
      var sandbox = api.create(ALLOW);
      try {
        api.exec(sandbox, "true");
        forwarderMemory();
        download(api, sandbox, origin);
        setup(api, sandbox, origin);
        concurrent(api, sandbox, origin);
      } finally {
        api.delete(sandbox);
      }
    }
  }

  private void createToFirstExec(Api api) throws IOException {
    var samples = new Samples();
    int runs = quick() ? 2 : 10;
    for (int i = 0; i < runs + 1; i++) {
      long start = System.nanoTime();
      var id = api.create(ALLOW);
      api.exec(id, "true");
      long done = System.nanoTime();
      api.delete(id);
      if (i > 0) {
        samples.addNanosAsMillis(done - start);
      }
    }
    results.figure(
        "egress_create_to_first_exec_ms",
        Figure.of(
            samples,
            "ms",
            "POST /sandboxes with allowed_hosts, then sync exec true, which waits once for the"
                + " sandbox's forwarder to listen; after 1 warm-up round"));
    results.value("egress_create_to_first_exec_p50_ms", samples.median());
  }

  /** What the forwarder of the one sandbox with network costs: its RSS and PSS. */
  private void forwarderMemory() throws IOException {
    for (var pid : EgressProbes.forwarders()) {
      var rollup = Files.readString(Path.of("/proc", pid, "smaps_rollup"));
      results.value("egress_forwarder_pss_mb", EgressProbes.kb(rollup, "Pss:") / 1024.0);
      results.value("egress_forwarder_rss_mb", EgressProbes.kb(rollup, "Rss:") / 1024.0);
      return;
    }
    results.note("egress_forwarder_pss_mb", "no forwarder process found");
  }

  private void download(Api api, String sandbox, EgressOrigin origin) throws Exception {
    var url = "http://" + EgressOrigin.ADDRESS + ":" + origin.httpPort() + "/big";
    var socket = socket(sandbox).toString();
    var direct = new Samples();
    var proxy = new Samples();
    var inSandbox = new Samples();
    int rounds = quick() ? 1 : 5;
    for (int round = 0; round < rounds + 1; round++) {
      double d = EgressProbes.hostCurl("--noproxy", "*", url);
      double p =
          EgressProbes.hostCurl("--unix-socket", socket, "--request-target", url, "http://proxy/");
      double s = EgressProbes.sandboxCurl(api, sandbox, url);
      if (round > 0) {
        direct.add(d);
        proxy.add(p);
        inSandbox.add(s);
      }
    }
    var how = "curl -o /dev/null of 200 MB from a JDK server on 127.0.0.2, rounds interleaved";
    results.figure("egress_download_direct_mb_per_s", Figure.of(direct, "MB/s", how + ": direct"));
    results.figure(
        "egress_download_proxy_mb_per_s",
        Figure.of(proxy, "MB/s", how + ": through the proxy's unix socket, from the host"));
    results.figure(
        "egress_download_sandbox_mb_per_s",
        Figure.of(
            inSandbox, "MB/s", how + ": in a sandbox, its HTTP_PROXY (forwarder, then proxy)"));
    results.value("egress_download_ratio", inSandbox.median() / direct.median());
    results.value("egress_download_proxy_ratio", proxy.median() / direct.median());

    // The same from a host that sends 100 MB/s, a fast download from the internet: whether the
    // proxy's extra copies still show when the copies are not all the work there is.
    var paced = url + "?mbps=100";
    var pacedDirect = new Samples();
    var pacedSandbox = new Samples();
    for (int round = 0; round < (quick() ? 1 : 3); round++) {
      pacedDirect.add(EgressProbes.hostCurl("--noproxy", "*", paced));
      pacedSandbox.add(EgressProbes.sandboxCurl(api, sandbox, paced));
    }
    var pacedHow = "curl of 200 MB sent at 100 MB/s by the origin";
    results.figure(
        "egress_download_paced_direct_mb_per_s",
        Figure.of(pacedDirect, "MB/s", pacedHow + ": direct"));
    results.figure(
        "egress_download_paced_sandbox_mb_per_s",
        Figure.of(pacedSandbox, "MB/s", pacedHow + ": in a sandbox, through the proxy"));
    results.value("egress_download_paced_ratio", pacedSandbox.median() / pacedDirect.median());
  }

  private void setup(Api api, String sandbox, EgressOrigin origin) throws Exception {
    var socket = socket(sandbox);
    var direct = new Samples();
    var proxied = new Samples();
    var coldProxied = new Samples();
    int runs = quick() ? 50 : 500;
    // The first requests run the proxy's code interpreted: measured apart, then the JIT is given
    // the requests it needs to compile that path, as a control plane that has been up a while has
    // (same run: 2.3 ms added after 50 warm-up requests, 0.5 ms after 3000).
    int cold = 50;
    int warmup = quick() ? 50 : 3000;
    var target = "http://" + EgressOrigin.ADDRESS + ":" + origin.httpPort() + "/small";
    for (int i = 0; i < warmup + runs; i++) {
      long a = System.nanoTime();
      EgressProbes.smallDirect(origin.httpPort());
      long b = System.nanoTime();
      EgressProbes.smallThroughProxy(socket, target);
      long c = System.nanoTime();
      if (i < cold) {
        coldProxied.addNanosAsMillis(c - b);
      } else if (i >= warmup) {
        direct.addNanosAsMillis(b - a);
        proxied.addNanosAsMillis(c - b);
      }
    }
    results.figure(
        "egress_request_direct_ms",
        Figure.of(direct, "ms", "connect, GET /small, read to the close: plain TCP"));
    results.figure(
        "egress_request_proxy_ms",
        Figure.of(
            proxied,
            "ms",
            "the same through the proxy's unix socket (absolute-form GET), after "
                + warmup
                + " warm-up requests"));
    results.figure(
        "egress_request_proxy_first_ms",
        Figure.of(
            coldProxied,
            "ms",
            "the first "
                + cold
                + " of those requests through the proxy, its code not compiled yet"));
    results.value("egress_setup_added_p50_ms", proxied.median() - direct.median());

    int curls = quick() ? 10 : 50;
    var loop =
        "for i in $(seq "
            + curls
            + "); do curl -s -o /dev/null -w '%{time_total}\\n' "
            + target
            + "; done";
    var inSandbox = EgressProbes.seconds(api.exec(sandbox, "bash", "-c", loop).get("stdout"));
    var onHost =
        EgressProbes.seconds(
            EgressProbes.run(
                List.of("bash", "-c", loop.replace("curl -s", "curl -s --noproxy '*'"))));
    results.figure(
        "egress_curl_small_host_ms",
        Figure.of(onHost, "ms", "curl time_total of GET /small, direct"));
    results.figure(
        "egress_curl_small_sandbox_ms",
        Figure.of(inSandbox, "ms", "the same in a sandbox: forwarder, then proxy"));
    results.value("egress_setup_added_sandbox_p50_ms", inSandbox.median() - onHost.median());
  }

  /** 1,000 tunnels from five sandboxes held open; the control plane's heap after GC, and RSS. */
  private void concurrent(Api api, String sandbox, EgressOrigin origin) throws Exception {
    int sandboxes = 5;
    int perSandbox = quick() ? 20 : 200;
    var ids = new ArrayList<String>();
    var open = new ArrayList<SocketChannel>();
    try {
      for (int i = 0; i < sandboxes; i++) {
        var id = api.create(ALLOW);
        ids.add(id);
        api.exec(id, "true");
      }
      double heapBefore = controlPlane.heapAfterGcMb();
      double rssBefore = controlPlane.rssMb();
      long threadsBefore = controlPlane.threads();
      var connect =
          ("CONNECT " + EgressOrigin.ADDRESS + ":" + origin.echoPort() + " HTTP/1.1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      for (var id : ids) {
        for (int i = 0; i < perSandbox; i++) {
          var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
          open.add(channel);
          channel.connect(UnixDomainSocketAddress.of(socket(id)));
          channel.write(ByteBuffer.wrap(connect));
        }
      }
      for (var channel : open) {
        var head = EgressProbes.readHead(channel);
        if (!head.startsWith("HTTP/1.1 200")) {
          throw new IOException("tunnel refused: " + head.lines().findFirst().orElse(""));
        }
        channel.write(ByteBuffer.wrap(new byte[] {'x'}));
      }
      for (var channel : open) {
        var one = ByteBuffer.allocate(1);
        while (one.hasRemaining()) {
          if (channel.read(one) < 0) {
            throw new IOException("a tunnel closed");
          }
        }
      }
      var during = new Samples();
      var target = "http://" + EgressOrigin.ADDRESS + ":" + origin.httpPort() + "/small";
      for (int i = 0; i < 50; i++) {
        long start = System.nanoTime();
        EgressProbes.smallThroughProxy(socket(sandbox), target);
        during.addNanosAsMillis(System.nanoTime() - start);
      }
      double heapDuring = controlPlane.heapAfterGcMb();
      var detail = new LinkedHashMap<String, Object>();
      detail.put("tunnels", open.size());
      detail.put("sandboxes", sandboxes);
      detail.put("heap_after_gc_mb_before", Figure.round(heapBefore));
      detail.put("heap_after_gc_mb_with_tunnels", Figure.round(heapDuring));
      detail.put("rss_mb_before", Figure.round(rssBefore));
      detail.put("rss_mb_with_tunnels", Figure.round(controlPlane.rssMb()));
      detail.put("threads_before", threadsBefore);
      detail.put("threads_with_tunnels", controlPlane.threads());
      results.detail("egress_concurrent", detail);
      results.value("egress_concurrent_tunnels", (double) open.size());
      results.value("egress_1000_tunnels_heap_mb", heapDuring);
      results.value("egress_1000_tunnels_heap_added_mb", heapDuring - heapBefore);
      results.value("egress_1000_tunnels_rss_added_mb", controlPlane.rssMb() - rssBefore);
      results.figure(
          "egress_request_with_1000_tunnels_ms",
          Figure.of(
              during, "ms", "GET /small through another sandbox's socket while they are open"));
    } finally {
      for (var channel : open) {
        channel.close();
      }
      for (var id : ids) {
        api.delete(id);
      }
    }
  }

  private Path socket(String sandbox) {
    return stateDir.resolve(sandbox).resolve("run/egress/proxy.sock");
  }

  private boolean quick() {
    return scale.equals(Scale.QUICK);
  }
}
