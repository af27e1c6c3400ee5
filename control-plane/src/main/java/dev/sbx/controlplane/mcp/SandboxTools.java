package dev.sbx.controlplane.mcp;

import static dev.sbx.controlplane.mcp.Schemas.array;
import static dev.sbx.controlplane.mcp.Schemas.bool;
import static dev.sbx.controlplane.mcp.Schemas.nullableString;
import static dev.sbx.controlplane.mcp.Schemas.oneOf;
import static dev.sbx.controlplane.mcp.Schemas.properties;
import static dev.sbx.controlplane.mcp.Schemas.string;
import static dev.sbx.controlplane.mcp.Schemas.stringMap;
import static dev.sbx.controlplane.mcp.Schemas.strings;

import dev.sbx.controlplane.runtime.SandboxInfo;
import dev.sbx.controlplane.sandbox.CreateSandboxRequest;
import dev.sbx.controlplane.sandbox.ResourcesRequest;
import dev.sbx.controlplane.sandbox.SandboxService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;

/** create_sandbox, list_sandboxes and delete_sandbox, as REST's {@code /sandboxes}. */
@Component
class SandboxTools {

  private final SandboxService sandboxes;

  SandboxTools(SandboxService sandboxes) {
    this.sandboxes = sandboxes;
  }

  List<SandboxTool> tools() {
    var sandbox = Schemas.object(sandboxProperties(), "sandbox_id", "id", "phase", "ready");
    return List.of(
        SandboxTool.of(
            "create_sandbox",
            "Create a sandbox",
            """
            Creates a sandbox: an isolated Linux environment with its own processes and a \
            writable /workspace, where commands run as an unprivileged user. Returns its \
            sandbox_id, which every other tool takes. Create one per task and delete it when \
            done; files and background processes persist in it between calls until then. \
            Network: none by default (no internet); network "allowlist" with allowed_hosts, or \
            "open", lets commands reach hosts through the egress proxy, as far as the server \
            allows. resources may lower the CPU, memory, process and disk limits.""",
            Schemas.input(
                properties(
                    "id",
                        string(
                            "Optional id, e.g. \"demo\" (it becomes sbx-demo); generated when"
                                + " absent. An id in use is an error."),
                    "env", stringMap("Environment variables of every command in the sandbox."),
                    "network",
                        oneOf(
                            "What commands may reach: none, allowlist (allowed_hosts only) or"
                                + " open. Default: the server's (usually none).",
                            "none",
                            "allowlist",
                            "open"),
                    "allowed_hosts",
                        strings(
                            "Hosts commands may reach, e.g. pypi.org, *.github.com,"
                                + " registry.npmjs.org:443; implies allowlist."),
                    "resources",
                        Schemas.input(
                            properties(
                                "cpu_limit", string("Cores, e.g. \"1\" or \"500m\"."),
                                "mem_limit", string("Memory, e.g. \"512Mi\" or \"2Gi\"."),
                                "pids_limit", Schemas.integer("Processes at once.", 1),
                                "disk_limit", string("Disk, e.g. \"1Gi\"."))))),
            sandbox,
            SandboxTool.changes(false, false),
            this::create),
        SandboxTool.of(
            "list_sandboxes",
            "List sandboxes",
            "Lists the sandboxes that exist now, with their sandbox_id, phase, whether they are"
                + " ready for commands, and when they were created and last ran a command.",
            Schemas.input(Map.of()),
            Schemas.object(properties("sandboxes", array(sandbox, "Every sandbox.")), "sandboxes"),
            SandboxTool.readOnly(),
            call -> SandboxTool.Outcome.ok(list())),
        SandboxTool.of(
            "delete_sandbox",
            "Delete a sandbox",
            "Deletes a sandbox: stops every process in it and throws away its files, /workspace"
                + " included. It cannot be undone. Returns status deleted.",
            Schemas.input(properties("sandbox_id", string("The sandbox's id.")), "sandbox_id"),
            Schemas.object(
                properties(
                    "sandbox_id", string("The deleted sandbox."),
                    "status", oneOf("Always deleted.", "deleted")),
                "sandbox_id",
                "status"),
            SandboxTool.changes(true, true),
            this::delete));
  }

  private static Map<String, Object> sandboxProperties() {
    return properties(
        "sandbox_id", string("The sandbox's id: give it to every other tool."),
        "id", string("The same id, under the REST API's name."),
        "runtime", string("Where it runs: local or kubernetes."),
        "phase", string("Pending, Running, Stopped or Failed."),
        "ready", bool("Whether a command can start in it now."),
        "created_at", string("When it was created (RFC 3339)."),
        "last_exec_at", nullableString("When a command last started or ended in it."),
        "reason", nullableString("Why it is not ready, when known."));
  }

  private SandboxTool.Outcome create(SandboxTool.Call call) {
    var args = call.arguments();
    var allowed = args.strings("allowed_hosts");
    var request =
        new CreateSandboxRequest(
            args.string("id"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            args.stringMap("env"),
            allowed,
            null,
            args.string("network"),
            resources(call));
    return SandboxTool.Outcome.ok(fields(sandboxes.create(request)));
  }

  @SuppressWarnings("unchecked")
  private static @Nullable ResourcesRequest resources(SandboxTool.Call call) {
    var given = call.arguments().raw("resources");
    if (given == null) {
      return null;
    }
    var resources = new ToolArguments((Map<String, Object>) given);
    long pids = resources.integer("pids_limit", -1, 1, Long.MAX_VALUE);
    return new ResourcesRequest(
        quantity(resources.string("cpu_limit")),
        quantity(resources.string("mem_limit")),
        pids < 0 ? null : pids,
        quantity(resources.string("disk_limit")));
  }

  private static tools.jackson.databind.@Nullable JsonNode quantity(@Nullable String value) {
    return value == null ? null : JsonNodeFactory.instance.stringNode(value);
  }

  private Map<String, Object> list() {
    return Map.of("sandboxes", sandboxes.list().stream().map(SandboxTools::fields).toList());
  }

  private SandboxTool.Outcome delete(SandboxTool.Call call) {
    var id = sandboxes.existingId(call.arguments().requiredString("sandbox_id"));
    sandboxes.delete(id);
    return SandboxTool.Outcome.ok(Map.of("sandbox_id", id, "status", "deleted"));
  }

  static Map<String, Object> fields(SandboxInfo info) {
    var fields = new LinkedHashMap<String, Object>();
    fields.put("sandbox_id", info.id());
    fields.put("id", info.id());
    fields.put("runtime", info.runtime());
    fields.put("phase", info.phase());
    fields.put("ready", info.ready());
    fields.put("created_at", info.createdAt().toString());
    fields.put("last_exec_at", info.lastExecAt() == null ? null : info.lastExecAt().toString());
    fields.put("reason", info.reason());
    return fields;
  }
}
