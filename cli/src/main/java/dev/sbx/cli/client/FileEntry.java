package dev.sbx.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code GET .../files}.
 *
 * @param type file, dir, symlink or other
 * @param target where a symlink points, or null
 */
public record FileEntry(
    String name, String path, String type, String size, String mode, String mtime, String target) {

  public static List<FileEntry> listOf(String json) {
    var entries = new ArrayList<FileEntry>();
    for (var item : Answers.items(json, "entries")) {
      entries.add(
          new FileEntry(
              Answers.text(item, "name"),
              Answers.text(item, "path"),
              Answers.text(item, "type"),
              Answers.text(item, "size"),
              Answers.text(item, "mode"),
              Answers.text(item, "mtime"),
              Answers.string(item, "target")));
    }
    return entries;
  }
}
