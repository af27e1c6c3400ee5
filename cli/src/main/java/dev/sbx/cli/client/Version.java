package dev.sbx.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The sbx version, stamped into a resource by the build. */
public final class Version {

  private static final String VERSION = load();

  private Version() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.txt")) {
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      // An unfiltered resource (running from an IDE without Maven) still has the placeholder.
      return text.isEmpty() || text.startsWith("@") ? "dev" : text;
    } catch (IOException e) {
      return "dev";
    }
  }
}
