package dev.sbx.cli.command;

import dev.sbx.cli.ExitCodes;
import dev.sbx.cli.output.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbx create}: creates a sandbox and prints where it lives. */
@Command(
    name = "create",
    description = "Create a sandbox and print its id.",
    footerHeading = "%n",
    footer =
        "With -wait, sbx exits with 1 when the sandbox failed to start and with 4 when it was not"
            + " ready in time.")
public final class CreateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-id", "--id"},
      paramLabel = "ID",
      description = "Sandbox id (default: generated).")
  String id;

  @Option(
      names = {"-image", "--image"},
      paramLabel = "IMAGE",
      description = "Container image.")
  String image;

  @Option(
      names = {"-volume", "--volume"},
      paramLabel = "MODE",
      description = "Workspace volume mode.")
  String volumeMode;

  @Option(
      names = {"-cache-mode", "--cache-mode"},
      paramLabel = "MODE",
      description = "Cache mode.")
  String cacheMode;

  @Option(
      names = {"-cache-pvc-size", "--cache-pvc-size"},
      paramLabel = "SIZE",
      description = "Cache PVC size, e.g. 5Gi.")
  String cachePvcSize;

  @Option(
      names = {"-cache-pvc-storage-class", "--cache-pvc-storage-class"},
      paramLabel = "CLASS",
      description = "Cache PVC storage class.")
  String cachePvcStorageClass;

  @Option(
      names = {"-cache-pvc-access-mode", "--cache-pvc-access-mode"},
      paramLabel = "MODE",
      description = "Cache PVC access mode.")
  String cachePvcAccessMode;

  @Option(
      names = {"-env", "--env"},
      paramLabel = "KEY=VALUE",
      description = "Environment variable; repeatable.")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-allow-host", "--allow-host"},
      paramLabel = "HOST",
      description = "Host the sandbox may reach; repeatable.")
  List<String> allowHosts = new ArrayList<>();

  @Option(
      names = {"-deny-host", "--deny-host"},
      paramLabel = "HOST",
      description = "Host the sandbox may not reach; repeatable.")
  List<String> denyHosts = new ArrayList<>();

  @Option(
      names = {"-network", "--network"},
      paramLabel = "MODE",
      description =
          "What the sandbox may reach: none, allowlist (only -allow-host) or open (every public"
              + " address); default: the server's, or allowlist with -allow-host.")
  String network;

  @Option(
      names = {"-wait", "--wait"},
      description =
          "Wait until the sandbox is ready, with progress on stderr when it is a terminal.")
  boolean waitUntilReady;

  @Option(
      names = {"-wait-timeout", "--wait-timeout"},
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long -wait waits, e.g. 90s or 5m (default: ${DEFAULT-VALUE}).",
      defaultValue = "120s")
  Duration waitTimeout;

  @Override
  public Integer call() throws InterruptedException {
    String request = Json.write(request());
    var globals = GlobalOptions.of(spec);
    var client = globals.client();
    String response = client.createSandbox(request);
    if (waitUntilReady) {
      var progress = new ProgressLine(globals.err(), globals.terminal().stderr());
      response =
          new SandboxWait(client, progress, WaitClock.SYSTEM).untilReady(response, waitTimeout);
    }
    if (globals.printedAsJson(response)) {
      return ExitCodes.OK;
    }
    var sandbox = Json.object(response);
    globals
        .out()
        .line(
            "id="
                + Json.text(sandbox.get("id"))
                + " namespace="
                + Json.text(sandbox.get("namespace"))
                + " pod="
                + Json.text(sandbox.get("pod_name")));
    return ExitCodes.OK;
  }

  // Only what the user gave: the server's defaults apply to the rest, unlike the original CLI,
  // which sent every field and so overrode them with empty strings.
  private Map<String, Object> request() {
    var body = new LinkedHashMap<String, Object>();
    putIfGiven(body, "id", id);
    putIfGiven(body, "image", image);
    putIfGiven(body, "volume_mode", volumeMode);
    putIfGiven(body, "cache_mode", cacheMode);
    putIfGiven(body, "cache_pvc_size", cachePvcSize);
    putIfGiven(body, "cache_pvc_storage_class", cachePvcStorageClass);
    putIfGiven(body, "cache_pvc_access_mode", cachePvcAccessMode);
    putIfGiven(body, "network", network);
    if (!env.isEmpty()) {
      body.put("env", EnvPairs.parse(spec, env));
    }
    if (!allowHosts.isEmpty()) {
      body.put("allowed_hosts", allowHosts);
    }
    if (!denyHosts.isEmpty()) {
      body.put("disallowed_hosts", denyHosts);
    }
    return body;
  }

  private static void putIfGiven(Map<String, Object> body, String field, String value) {
    if (value != null && !value.isEmpty()) {
      body.put(field, value);
    }
  }
}
