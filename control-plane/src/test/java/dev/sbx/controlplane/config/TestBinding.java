package dev.sbx.controlplane.config;

import java.util.HashMap;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Binds a feature's {@code @ConfigurationProperties} record from a loaded {@link SandboxConfig} as
 * the application context would from the {@code sandbox.*} properties, for tests that build a
 * runtime without a context.
 */
public final class TestBinding {

  private TestBinding() {}

  public static <T> T bind(SandboxConfig config, Class<T> type) {
    var properties = new HashMap<String, Object>();
    config
        .values()
        .forEach(
            (key, value) -> {
              var form = SandboxPropertySource.springForm(value);
              if (form != null && key != ConfigKey.ENV) {
                properties.put(SandboxPropertySource.propertyName(key), form);
              }
            });
    config
        .env()
        .forEach(
            (name, value) -> properties.put(SandboxPropertySource.envPropertyName(name), value));
    return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("sandbox", type);
  }
}
