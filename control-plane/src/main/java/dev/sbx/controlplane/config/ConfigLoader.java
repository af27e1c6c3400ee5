package dev.sbx.controlplane.config;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the configuration from {@code SANDBOX_*} environment variables and the YAML file named by
 * {@code SANDBOX_CONFIG}. The environment beats the file, the file beats the defaults, and a value
 * that cannot work throws {@link InvalidConfigException} naming its key.
 */
public final class ConfigLoader {

  static final String CONFIG_FILE_VAR = "SANDBOX_CONFIG";
  private static final String ENV_PREFIX = "SANDBOX_ENV_";

  private ConfigLoader() {}

  /** Loads from an environment-like map (the process environment, or Spring's view of it). */
  public static SandboxConfig load(Map<String, String> env) {
    var file = nonEmpty(env.get(CONFIG_FILE_VAR));
    Path path = file == null ? null : Path.of(file);
    Map<String, Object> yaml = path == null ? Map.of() : ConfigFiles.read(path);
    var values = new EnumMap<ConfigKey, Object>(ConfigKey.class);
    for (var key : ConfigKey.values()) {
      var envValue = nonEmpty(env.get(key.envVar()));
      var source =
          envValue != null
              ? new Source(key.envVar() + "=\"" + envValue + "\"", envValue)
              : yaml.containsKey(key.yamlKey())
                  ? new Source(key.yamlKey() + " in " + path, yaml.get(key.yamlKey()))
                  : new Source(key.yamlKey() + " (default)", key.defaultValue());
      values.put(key, ConfigValues.check(key, source));
    }
    values.put(ConfigKey.ENV, mergeEnv(yaml.get(ConfigKey.ENV.yamlKey()), path, env));
    return new SandboxConfig(values, path);
  }

  /**
   * The environment of every sandbox: the file's {@code env} map, then the {@code SANDBOX_ENV_*}
   * variables over it.
   */
  static Map<String, String> sandboxEnv(Map<String, String> variables) {
    var file = nonEmpty(variables.get(CONFIG_FILE_VAR));
    Path path = file == null ? null : Path.of(file);
    Object fromFile = path == null ? null : ConfigFiles.read(path).get(ConfigKey.ENV.yamlKey());
    return mergeEnv(fromFile, path, variables);
  }

  /** A raw value and where it came from, for error messages. */
  record Source(String origin, Object value) {}

  private static Map<String, String> mergeEnv(Object fromFile, Path path, Map<String, String> env) {
    var merged = new TreeMap<String, String>();
    if (fromFile != null) {
      if (!(fromFile instanceof Map<?, ?> map)) {
        throw new InvalidConfigException(
            "env in " + path + ": expected a mapping of variable names to values");
      }
      map.forEach((k, v) -> merged.put(checkEnvName(String.valueOf(k), "env in " + path), str(v)));
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
            merged.put(checkEnvName(name.substring(ENV_PREFIX.length()), name), value);
          }
        });
    return merged;
  }

  private static String checkEnvName(String name, String origin) {
    if (!EnvNames.valid(name)) {
      throw new InvalidConfigException(
          origin + ": \"" + name + "\" is not a valid environment variable name");
    }
    return name;
  }

  private static String str(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
