package dev.sbx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one part of the suite measured, written as a JSON fragment that {@link Report} merges:
 * {@code values} (the flat keys of latest.json), {@code figures} (median, p99 and runs of each),
 * {@code notes} (why a value is null, how it was taken) and {@code details} (anything else worth
 * keeping: samples, profiles).
 */
final class Results {

  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final Map<String, Object> notes = new LinkedHashMap<>();
  private final Map<String, Object> details = new LinkedHashMap<>();

  synchronized void value(String key, Double value) {
    values.put(key, value == null || value.isNaN() ? null : Figure.round(value));
  }

  synchronized void flag(String key, Boolean value) {
    values.put(key, value);
  }

  synchronized void figure(String name, Figure figure) {
    figures.put(name, figure.toMap());
  }

  synchronized void note(String key, String text) {
    notes.merge(key, text, (a, b) -> a + " " + b);
  }

  synchronized void detail(String key, Object value) {
    details.put(key, value);
  }

  synchronized void write(Path file) throws IOException {
    var root = new LinkedHashMap<String, Object>();
    root.put("values", values);
    root.put("figures", figures);
    root.put("notes", notes);
    root.put("details", details);
    Files.createDirectories(file.toAbsolutePath().getParent());
    var tmp = file.resolveSibling(file.getFileName() + ".part");
    Files.writeString(tmp, Json.write(root));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }
}
