package dev.sbx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the fragments of one {@code make bench} run (tmp/local.json from the load driver,
 * tmp/kubernetes.json from the mock-server benchmark, and any other {@code *.json} in tmp shaped
 * like them, which other {@code @Tag("bench")} tests may write) into latest.json and latest.md. A
 * key that no fragment measured is written as null, with a note saying why when one is known.
 */
final class Report {

  static final List<String> EXPECTED =
      List.of("local.json", "kubernetes.json", "warm-pool.json", "jmh.json");

  private Report() {}

  static void write(Path tmp, Path out, Path notesFile) throws IOException {
    var merged = merge(tmp);
    Files.createDirectories(out);
    Files.writeString(out.resolve("latest.json"), Json.write(merged));
    var notes = notesFile != null && Files.exists(notesFile) ? Files.readString(notesFile) : null;
    Files.writeString(out.resolve("latest.md"), new MarkdownReport(merged, tmp, notes).render());
    System.err.println("bench: wrote " + out.resolve("latest.json") + " and latest.md");
  }

  /** The fragments in tmp: JSON objects with values or figures (not hyperfine's exports). */
  private static List<Path> fragments(Path tmp) throws IOException {
    if (!Files.isDirectory(tmp)) {
      return List.of();
    }
    try (var files = Files.list(tmp)) {
      var result = new ArrayList<Path>();
      var sorted =
          files
              // latest.json is a report, not a fragment (--quick writes it next to them)
              .filter(f -> f.toString().endsWith(".json") && !f.endsWith("latest.json"))
              .sorted(
                  Comparator.comparing(
                          (Path f) -> {
                            int i = EXPECTED.indexOf(f.getFileName().toString());
                            return i < 0 ? EXPECTED.size() : i;
                          })
                      .thenComparing(Path::toString))
              .toList();
      for (var file : sorted) {
        try {
          var json = Json.parseObject(Files.readString(file));
          if (json.containsKey("values") || json.containsKey("figures")) {
            result.add(file);
          }
        } catch (IllegalArgumentException e) {
          // not a fragment
        }
      }
      return result;
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Path tmp) throws IOException {
    var values = new LinkedHashMap<String, Object>();
    var figures = new LinkedHashMap<String, Object>();
    var notes = new LinkedHashMap<String, Object>();
    var details = new LinkedHashMap<String, Object>();
    for (var name : EXPECTED) {
      if (!Files.exists(tmp.resolve(name))) {
        notes.put(name, "missing: that part of the suite did not finish (see the bench log)");
      }
    }
    for (var file : fragments(tmp)) {
      var fragment = Json.parseObject(Files.readString(file));
      values.putAll((Map<String, Object>) fragment.getOrDefault("values", Map.of()));
      figures.putAll((Map<String, Object>) fragment.getOrDefault("figures", Map.of()));
      notes.putAll((Map<String, Object>) fragment.getOrDefault("notes", Map.of()));
      details.putAll((Map<String, Object>) fragment.getOrDefault("details", Map.of()));
    }
    for (var key : Targets.KEYS) {
      if (values.get(key) == null) {
        notes.putIfAbsent(key, "not measured: the part of the suite that measures it failed");
      }
    }
    var root = new LinkedHashMap<String, Object>();
    root.put("generated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    root.put("scale", details.remove("scale"));
    root.put("machine", details.remove("machine"));
    for (var key : Targets.KEYS) {
      root.put(key, values.get(key));
    }
    values.forEach(root::putIfAbsent);
    root.put("targets", Targets.evaluate(values));
    root.put("figures", figures);
    root.put("notes", notes);
    root.put("details", details);
    return root;
  }
}
