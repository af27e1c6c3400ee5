package dev.sbx.controlplane.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The {@code sandbox.*} properties, read through the {@link ConfigKey} table: {@code
 * sandbox.stream-buffer} is {@code SANDBOX_STREAM_BUFFER} when set, else {@code stream_buffer} in
 * the {@code SANDBOX_CONFIG} file, else the table's default. Each value is checked as the table
 * says, so a bad one fails with the one line that names where it came from, and is given in the
 * form Spring's binder reads (a Go duration such as {@code 1h30m} as ISO-8601, a size such as
 * {@code 16MiB} as bytes), so records bind it without converters of their own. A global converter
 * would also change how Boot reads its own durations.
 *
 * <p>Values are looked up when asked for, not copied at start-up, so test properties added after
 * the environment was prepared ({@code @DynamicPropertySource}) count too.
 */
final class SandboxPropertySource
    extends EnumerablePropertySource<SandboxPropertySource.Variables> {

  static final String NAME = "sandboxConfiguration";
  static final String PREFIX = "sandbox.";
  private static final String ENV_PREFIX = PREFIX + "environment[";

  /**
   * Where the {@code SANDBOX_*} names are looked up. Not the environment itself: Boot's binder
   * walks into a property source whose source is an environment, and would find this one again,
   * forever.
   */
  record Variables(ConfigurableEnvironment environment) {
    @Nullable String get(String name) {
      return environment.getProperty(name);
    }

    /**
     * Every {@code SANDBOX_*} name, each from the source Spring gives precedence to. Not this
     * property source: its names would be asked of it again.
     */
    Map<String, String> sandboxVariables() {
      var variables = new LinkedHashMap<String, String>();
      for (var source : environment.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> enumerable
            && !(source instanceof SandboxPropertySource)) {
          for (var name : enumerable.getPropertyNames()) {
            if (name.startsWith("SANDBOX_") && !variables.containsKey(name)) {
              var value = source.getProperty(name);
              if (value != null) {
                variables.put(name, String.valueOf(value));
              }
            }
          }
        }
      }
      return variables;
    }
  }

  private @Nullable List<PropertySource<?>> envSources;
  private Map<String, String> env = Map.of();

  SandboxPropertySource(ConfigurableEnvironment environment) {
    super(NAME, new Variables(environment));
  }

  /** The property a key binds to, e.g. {@code sandbox.stream-buffer}. */
  static String propertyName(ConfigKey key) {
    return PREFIX + key.yamlKey().replace('_', '-');
  }

  /**
   * The property of one variable of every sandbox's environment, e.g. {@code
   * sandbox.environment[GOPATH]}: in brackets, so that the binder keeps the name's case.
   */
  static String envPropertyName(String variable) {
    return ENV_PREFIX + variable + "]";
  }

  @Override
  public String[] getPropertyNames() {
    var names = new ArrayList<String>();
    for (var key : ConfigKey.values()) {
      if (key != ConfigKey.ENV) {
        names.add(propertyName(key));
      }
    }
    for (var variable : sandboxEnv().keySet()) {
      names.add(envPropertyName(variable));
    }
    return names.toArray(String[]::new);
  }

  @Override
  public @Nullable Object getProperty(String name) {
    if (!name.startsWith(PREFIX)) {
      return null;
    }
    if (name.startsWith(ENV_PREFIX) && name.endsWith("]")) {
      return sandboxEnv().get(name.substring(ENV_PREFIX.length(), name.length() - 1));
    }
    var key = ConfigKey.byYamlKey(name.substring(PREFIX.length()).replace('-', '_'));
    if (key == null || key == ConfigKey.ENV) {
      return null;
    }
    return springForm(ConfigValues.check(key, source(key)));
  }

  /**
   * The file's env map with the SANDBOX_ENV_* variables over it, checked; worked out again only
   * when the environment's sources change (one added, as a test's {@code @DynamicPropertySource}
   * is). Scanning every name of every source on each of the binder's calls (about 420 at start-up)
   * cost 40 ms of start-up here. A source whose contents change in place is not seen again, as the
   * configuration loaded once at start never saw it either.
   */
  private synchronized Map<String, String> sandboxEnv() {
    var sources = new ArrayList<PropertySource<?>>();
    getSource().environment().getPropertySources().forEach(sources::add);
    if (!sameSources(sources, envSources)) {
      env = ConfigLoader.sandboxEnv(getSource().sandboxVariables());
      envSources = sources;
    }
    return env;
  }

  /** The same sources in the same order; PropertySource.equals compares names only. */
  private static boolean sameSources(
      List<PropertySource<?>> sources, @Nullable List<PropertySource<?>> before) {
    if (before == null || before.size() != sources.size()) {
      return false;
    }
    for (int i = 0; i < sources.size(); i++) {
      if (sources.get(i) != before.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** Where a key's value comes from: the environment, else the file, else the table's default. */
  private ConfigLoader.Source source(ConfigKey key) {
    var fromEnvironment = getSource().get(key.envVar());
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return new ConfigLoader.Source(
          key.envVar() + "=\"" + fromEnvironment + "\"", fromEnvironment);
    }
    var file = getSource().get(ConfigLoader.CONFIG_FILE_VAR);
    if (file != null && !file.isEmpty()) {
      var path = Path.of(file);
      var yaml = ConfigFiles.read(path);
      if (yaml.containsKey(key.yamlKey())) {
        return new ConfigLoader.Source(key.yamlKey() + " in " + path, yaml.get(key.yamlKey()));
      }
    }
    return new ConfigLoader.Source(key.yamlKey() + " (default)", key.defaultValue());
  }

  /** A checked value in the form the binder reads; null for none (and for the env map). */
  static @Nullable Object springForm(@Nullable Object checked) {
    if (checked instanceof Duration duration) {
      return duration.toString();
    }
    if (checked instanceof Long bytes) {
      return bytes + "B";
    }
    if (checked instanceof Collection<?> items) {
      return String.join(",", items.stream().map(String::valueOf).toList());
    }
    if (checked instanceof Boolean || checked instanceof Integer) {
      return checked.toString().toLowerCase(Locale.ROOT);
    }
    return checked instanceof Map<?, ?> ? null : checked;
  }
}
