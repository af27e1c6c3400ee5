package dev.sbx.controlplane.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the {@code SANDBOX_CONFIG} file: a YAML mapping of the table's keys, any other key being an
 * error. A file is parsed once for as long as it stays the same.
 */
final class ConfigFiles {

  private record Parsed(FileTime modified, long size, Map<String, Object> keys) {}

  private static final Map<Path, Parsed> PARSED = new ConcurrentHashMap<>();

  private ConfigFiles() {}

  /** The file's keys with their raw values; null values left out. */
  static Map<String, Object> read(Path path) {
    FileTime modified;
    long size;
    try {
      modified = Files.getLastModifiedTime(path);
      size = Files.size(path);
    } catch (IOException e) {
      return parse(path); // says why it cannot be read
    }
    var cached = PARSED.get(path);
    if (cached != null && cached.modified().equals(modified) && cached.size() == size) {
      return cached.keys();
    }
    var keys = parse(path);
    PARSED.put(path, new Parsed(modified, size, keys));
    return keys;
  }

  private static Map<String, Object> parse(Path path) {
    Object document;
    try {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(path));
    } catch (IOException e) {
      throw new InvalidConfigException(
          ConfigLoader.CONFIG_FILE_VAR + "=" + path + ": cannot read the file (" + e + ")", e);
    } catch (YAMLException e) {
      throw new InvalidConfigException(
          ConfigLoader.CONFIG_FILE_VAR + "=" + path + ": not valid YAML: " + e.getMessage(), e);
    }
    if (document == null) {
      return Map.of();
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new InvalidConfigException(
          ConfigLoader.CONFIG_FILE_VAR + "=" + path + ": expected a mapping of keys to values");
    }
    var result = new TreeMap<String, Object>();
    var unknown = new ArrayList<String>();
    map.forEach(
        (k, v) -> {
          if (ConfigKey.byYamlKey(String.valueOf(k)) == null) {
            unknown.add(String.valueOf(k));
          } else if (v != null) {
            result.put(String.valueOf(k), v);
          }
        });
    if (!unknown.isEmpty()) {
      throw new InvalidConfigException(
          "unknown key "
              + String.join(", ", unknown)
              + " in "
              + path
              + " (known keys: "
              + String.join(", ", knownKeys())
              + ")");
    }
    return Map.copyOf(result);
  }

  private static List<String> knownKeys() {
    var keys = new ArrayList<String>();
    for (var k : ConfigKey.values()) {
      keys.add(k.yamlKey());
    }
    return keys;
  }
}
