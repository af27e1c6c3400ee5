package dev.sbx.controlplane.runtime;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.Quantities;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The limits a sandbox runs under. A null component is no limit.
 *
 * @param cpuMillis CPU time per second of wall time, in thousandths of a core (1000: one core)
 * @param memoryBytes memory, page cache included, beyond which the kernel's OOM killer ends a
 *     process of the sandbox
 * @param pids processes and threads at once; one more fork fails with EAGAIN
 * @param diskBytes what the sandbox's writable folders may hold together; one more byte is ENOSPC
 */
public record Resources(
    @Nullable Long cpuMillis,
    @Nullable Long memoryBytes,
    @Nullable Long pids,
    @Nullable Long diskBytes) {

  public static final Resources NONE = new Resources(null, null, null, null);

  /** The API's names of the four limits, as in a create's {@code resources}. */
  public static final String CPU = "cpu_limit";

  public static final String MEMORY = "mem_limit";
  public static final String PIDS = "pids_limit";
  public static final String DISK = "disk_limit";

  /** Limits from their configured texts (checked already), each null or "none" for no limit. */
  static Resources parse(
      @Nullable String cpu, @Nullable String memory, @Nullable String pids, @Nullable String disk) {
    return new Resources(
        parse(cpu, Quantities::cpuMillis),
        parse(memory, Quantities::bytes),
        parse(pids, Long::parseLong),
        parse(disk, Quantities::bytes));
  }

  /** These limits, each one this leaves open taken from {@code defaults}. */
  public Resources orElse(Resources defaults) {
    return new Resources(
        cpuMillis != null ? cpuMillis : defaults.cpuMillis,
        memoryBytes != null ? memoryBytes : defaults.memoryBytes,
        pids != null ? pids : defaults.pids,
        diskBytes != null ? diskBytes : defaults.diskBytes);
  }

  /** The API names of the limits this asks above {@code max}, in the order of the record. */
  public List<String> above(Resources max) {
    var above = new ArrayList<String>();
    check(above, CPU, cpuMillis, max.cpuMillis);
    check(above, MEMORY, memoryBytes, max.memoryBytes);
    check(above, PIDS, pids, max.pids);
    check(above, DISK, diskBytes, max.diskBytes);
    return above;
  }

  /** CPU as Kubernetes writes it ({@code 1}, {@code 500m}), or null. */
  public @Nullable String cpuText() {
    return cpuMillis == null ? null : Quantities.formatCpu(cpuMillis);
  }

  /** Memory as Kubernetes writes it ({@code 1Gi}), or null. */
  public @Nullable String memoryText() {
    return memoryBytes == null ? null : Quantities.formatBytes(memoryBytes);
  }

  /** Disk as Kubernetes writes it ({@code 2Gi}), or null. */
  public @Nullable String diskText() {
    return diskBytes == null ? null : Quantities.formatBytes(diskBytes);
  }

  private static void check(
      List<String> above, String name, @Nullable Long asked, @Nullable Long max) {
    if (asked != null && max != null && asked > max) {
      above.add(name);
    }
  }

  private static @Nullable Long parse(@Nullable String text, Function<String, Long> parser) {
    return text == null || ConfigKey.NO_LIMIT.equals(text) ? null : parser.apply(text);
  }
}
