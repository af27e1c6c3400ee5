package dev.sbx.controlplane.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;

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

  /**
   * Where the {@code SANDBOX_*} names are looked up. Not the environment itself: Boot's binder
   * walks into a property source whose source is an environment, and would find this one again,
   * forever.
   */
  record Variables(ConfigurableEnvironment environment) {
    @Nullable String get(String name) {
      return environment.getProperty(name);
    }
  }

  SandboxPropertySource(ConfigurableEnvironment environment) {
    super(NAME, new Variables(environment));
  }

  /** The property a key binds to, e.g. {@code sandbox.stream-buffer}. */
  static String propertyName(ConfigKey key) {
    return PREFIX + key.yamlKey().replace('_', '-');
  }

  @Override
  public String[] getPropertyNames() {
    var names = new ArrayList<String>();
    for (var key : ConfigKey.values()) {
      if (key != ConfigKey.ENV) {
        names.add(propertyName(key));
      }
    }
    return names.toArray(String[]::new);
  }

  @Override
  public @Nullable Object getProperty(String name) {
    if (!name.startsWith(PREFIX)) {
      return null;
    }
    var key = ConfigKey.byYamlKey(name.substring(PREFIX.length()).replace('-', '_'));
    if (key == null || key == ConfigKey.ENV) {
      return null;
    }
    return springForm(ConfigValues.check(key, source(key)));
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
