package dev.sbx.controlplane.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a listing.
 *
 * @param type file, dir, symlink or other
 * @param mode the permission bits, in octal
 * @param target where a symlink points, as it says; null for anything else
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileEntry(
    String name,
    String path,
    String type,
    long size,
    String mode,
    Instant mtime,
    @Nullable String target) {

  private static final int FIELDS = 6;

  /**
   * Reads find's NUL-separated fields (type, size, mode, mtime, target, path). They come from the
   * sandbox, so an entry that does not parse is left out rather than trusted.
   */
  public static List<FileEntry> parse(byte[] listing) {
    var fields = new ArrayList<String>();
    int start = 0;
    for (int i = 0; i < listing.length; i++) {
      if (listing[i] == 0) {
        fields.add(new String(listing, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    var entries = new ArrayList<FileEntry>();
    for (int i = 0; i + FIELDS <= fields.size(); i += FIELDS) {
      var entry = entry(fields.subList(i, i + FIELDS));
      if (entry != null) {
        entries.add(entry);
      }
    }
    return entries;
  }

  private static @Nullable FileEntry entry(List<String> f) {
    if (!f.get(1).matches("[0-9]{1,19}")
        || !f.get(2).matches("[0-7]{1,4}")
        || !f.get(3).matches("[0-9]{1,12}(\\.[0-9]{1,10})?")) {
      return null;
    }
    var type =
        switch (f.get(0)) {
          case "f" -> "file";
          case "d" -> "dir";
          case "l" -> "symlink";
          default -> "other";
        };
    var path = f.get(5);
    var slash = path.lastIndexOf('/');
    var name = slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    var seconds = f.get(3).split("\\.");
    long nanos =
        seconds.length > 1 ? Long.parseLong((seconds[1] + "000000000").substring(0, 9)) : 0;
    return new FileEntry(
        name,
        path,
        type,
        Long.parseLong(f.get(1)),
        String.format("%04o", Integer.parseInt(f.get(2), 8)),
        Instant.ofEpochSecond(Long.parseLong(seconds[0]), nanos),
        type.equals("symlink") ? f.get(4) : null);
  }
}
