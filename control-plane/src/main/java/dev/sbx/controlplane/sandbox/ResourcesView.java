package dev.sbx.controlplane.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sbx.controlplane.runtime.Resources;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The limits a sandbox runs under, as the API shows them; a limit left out is no limit.
 *
 * @param cpuLimit cores, as Kubernetes writes them ({@code 1}, {@code 500m})
 * @param memLimit memory ({@code 1Gi})
 * @param pidsLimit processes and threads at once
 * @param diskLimit what its writable folders may hold ({@code 2Gi})
 * @param unenforced the limits above that this machine cannot enforce, each with why
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ResourcesView(
    @Nullable String cpuLimit,
    @Nullable String memLimit,
    @Nullable Long pidsLimit,
    @Nullable String diskLimit,
    Map<String, String> unenforced) {

  static ResourcesView of(Resources resources, Map<String, String> unenforced) {
    return new ResourcesView(
        resources.cpuText(),
        resources.memoryText(),
        resources.pids(),
        resources.diskText(),
        unenforced);
  }
}
