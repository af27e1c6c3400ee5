package dev.sbx.controlplane.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.SandboxInfo;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A sandbox as the API shows it.
 *
 * @param id the sandbox's id, used in every other call
 * @param namespace the sandbox's name (its namespace on Kubernetes); the same as the id
 * @param podName the pod (or, locally, the process group) that runs it; always {@code sandbox}
 * @param runtime where it runs: local or kubernetes
 * @param phase Pending, Running, Stopped or Failed
 * @param ready whether a command can start now
 * @param createdAt when it was created
 * @param lastExecAt when a command last started or ended in it
 * @param reason why it is not ready, when known (e.g. ErrImagePull)
 * @param launchType warm when a pre-started sandbox was claimed for it, else cold
 * @param network what it may reach through the egress proxy: none, allowlist or open
 * @param allowedHosts hosts it may reach
 * @param disallowedHosts hosts it must not reach
 * @param resources the limits it runs under, and those that are not enforced
 * @param usage what it uses now (in the answer to a get; lists leave it out)
 */
// The same fields as runtime.SandboxInfo, on purpose: this is the API's shape (snake_case names,
// the original's namespace and pod_name), that is the runtime's, and either may change alone.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SandboxView(
    String id,
    String namespace,
    String podName,
    String runtime,
    String phase,
    boolean ready,
    Instant createdAt,
    @Nullable Instant lastExecAt,
    @Nullable String reason,
    String launchType,
    @Nullable String network,
    @Nullable List<String> allowedHosts,
    @Nullable List<String> disallowedHosts,
    ResourcesView resources,
    @Nullable UsageView usage) {

  static SandboxView of(SandboxInfo info, @Nullable EgressPolicy policy) {
    return new SandboxView(
        info.id(),
        info.id(),
        "sandbox",
        info.runtime(),
        info.phase(),
        info.ready(),
        info.createdAt(),
        info.lastExecAt(),
        info.reason(),
        info.launchType().wireName(),
        policy == null ? null : policy.mode().value(),
        policy == null ? null : policy.allowedHosts(),
        policy == null ? null : policy.disallowedHosts(),
        ResourcesView.of(info.resources(), info.unenforced()),
        UsageView.of(info.usage()));
  }
}
