package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.config.ConfigKey;
import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import dev.sbx.controlplane.runtime.SandboxSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns the configuration and a create request into a checked {@link SandboxTemplate}. A bad
 * configured value is a start-up error naming its key; a bad request value is a 400 naming its
 * field; neither reaches the API server.
 */
final class SandboxTemplates {

  private static final List<String> DEFAULT_COMMAND =
      List.of("/bin/sh", "-c", ExecScripts.SANDBOX_INIT, "sbx-init");
  private static final Map<String, String> ACCESS_MODES =
      Map.of(
          "rwo", "ReadWriteOnce",
          "rwx", "ReadWriteMany",
          "rox", "ReadOnlyMany",
          "rwop", "ReadWriteOncePod");

  private final SandboxTemplate defaults;
  private final Map<String, String> proxyEnv;

  SandboxTemplates(
      SandboxTemplateProperties template, SandboxDefaultsProperties sandbox, ProxySettings proxy) {
    this.proxyEnv = proxy.env();
    this.defaults = fromConfig(template, sandbox, proxyEnv);
  }

  /** The template warm sandboxes are made from, and the base of every other. */
  SandboxTemplate defaults() {
    return defaults;
  }

  /**
   * Whether a warm sandbox can serve this request: it asks for nothing the warm template does not
   * have, and leaves the name to the server. Its egress policy does not count: a claim applies it.
   */
  boolean warmable(SandboxSpec spec) {
    return !spec.named() && resolve(spec).withEgress(defaults.egress()).equals(defaults);
  }

  /** The template for one create request. */
  SandboxTemplate resolve(SandboxSpec spec) {
    var storage = spec.storage();
    var image = spec.image() != null ? checkImage(spec.image(), "image", false) : defaults.image();
    var cacheMode = storage.cacheMode() != null ? storage.cacheMode() : defaults.cacheMode();
    if (SandboxTemplate.HOSTPATH.equals(cacheMode)
        && !SandboxTemplate.HOSTPATH.equals(defaults.cacheMode())) {
      throw new InvalidRequestException(
          "cache_mode",
          "hostpath shares a node folder between sandboxes; it is allowed only when the server is"
              + " configured with SANDBOX_CACHE_MODE=hostpath");
    }
    var env = new TreeMap<>(spec.env());
    env.putAll(proxyEnv); // last, so a sandbox's own env cannot point past the proxy by accident
    return new SandboxTemplate(
        image,
        spec.command() != null ? List.copyOf(spec.command()) : defaults.command(),
        env,
        storage.volumeMode() != null ? storage.volumeMode() : defaults.volumeMode(),
        defaults.volumePvcSize(),
        defaults.volumePvcStorageClass(),
        cacheMode,
        defaults.cacheHostPath(),
        storage.cachePvcSize() != null
            ? checkQuantity(storage.cachePvcSize(), "cache_pvc_size", false)
            : defaults.cachePvcSize(),
        storage.cachePvcStorageClass() != null
            ? storage.cachePvcStorageClass()
            : defaults.cachePvcStorageClass(),
        storage.cachePvcAccessMode() != null
            ? accessMode(storage.cachePvcAccessMode(), "cache_pvc_access_mode", false)
            : defaults.cachePvcAccessMode(),
        defaults.requests(),
        // Asked for or configured (the service merged them); a spec that names none gets the
        // configured ones.
        spec.resources().orElse(defaults.resources()),
        defaults.runAsRoot(),
        spec.allowedHosts(),
        spec.disallowedHosts(),
        spec.network());
  }

  private static SandboxTemplate fromConfig(
      SandboxTemplateProperties template,
      SandboxDefaultsProperties sandbox,
      Map<String, String> proxyEnv) {
    var requests = new LinkedHashMap<String, String>();
    resource(template.cpuRequest(), ConfigKey.CPU_REQUEST, "cpu", requests);
    resource(template.memRequest(), ConfigKey.MEM_REQUEST, "memory", requests);
    var env = new TreeMap<>(sandbox.env());
    env.putAll(proxyEnv);
    return new SandboxTemplate(
        checkImage(template.image(), ConfigKey.IMAGE.envVar(), true),
        DEFAULT_COMMAND,
        env,
        template.volumeMode(),
        checkQuantity(template.volumePvcSize(), ConfigKey.VOLUME_PVC_SIZE.envVar(), true),
        template.volumePvcStorageClass(),
        template.cacheMode(),
        template.cacheHostpath(),
        checkQuantity(template.cachePvcSize(), ConfigKey.CACHE_PVC_SIZE.envVar(), true),
        template.cachePvcStorageClass(),
        accessMode(template.cachePvcAccessMode(), ConfigKey.CACHE_PVC_ACCESS_MODE.envVar(), true),
        Map.copyOf(requests),
        sandbox.resources(),
        template.runAsRoot(),
        sandbox.allowedHosts(),
        sandbox.disallowedHosts(),
        sandbox.networkMode());
  }

  private static void resource(
      @Nullable String value, ConfigKey key, String name, Map<String, String> into) {
    if (value != null) {
      into.put(name, checkQuantity(value, key.envVar(), true));
    }
  }

  private static String checkQuantity(String value, String name, boolean configured) {
    if (!Quantities.valid(value.trim())) {
      fail(
          name,
          "\"" + value + "\" is not a Kubernetes quantity (e.g. 500m, 2, 512Mi, 10Gi)",
          configured);
    }
    return value.trim();
  }

  private static String checkImage(String image, String name, boolean configured) {
    if (!ImageReferences.valid(image)) {
      fail(name, "\"" + image + "\" is not a valid image reference", configured);
    }
    return image;
  }

  private static String accessMode(String value, String name, boolean configured) {
    var alias = ACCESS_MODES.get(value.toLowerCase(Locale.ROOT));
    if (alias != null) {
      return alias;
    }
    if (ACCESS_MODES.containsValue(value)) {
      return value;
    }
    fail(
        name,
        "\"" + value + "\" is not an access mode (rwo, rwx, rox, rwop or their full names)",
        configured);
    return value;
  }

  private static void fail(String name, String why, boolean configured) {
    if (configured) {
      throw new InvalidConfigException(name + ": " + why);
    }
    throw new InvalidRequestException(name, why);
  }
}
