package dev.sbx.controlplane.runtime.kubernetes;

import java.util.regex.Pattern;

/** Checks container image references ({@code [host[:port]/]name[:tag][@digest]}). */
final class ImageReferences {

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  // As Docker reads it: the first part is a registry host only if it has a dot or a port, or is
  // localhost; otherwise it is part of the repository path (and must be lowercase).
  private static final String HOST =
      "(?:(?:localhost|[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)+)(?::[0-9]+)?/|[a-zA-Z0-9-]+:[0-9]+/)";
  private static final Pattern REFERENCE =
      Pattern.compile(
          HOST
              + "?"
              + COMPONENT
              + "(?:/"
              + COMPONENT
              + ")*"
              + "(?::[\\w][\\w.-]{0,127})?"
              + "(?:@sha256:[a-f0-9]{64})?");

  private ImageReferences() {}

  static boolean valid(String image) {
    return image.length() <= 255 && REFERENCE.matcher(image).matches();
  }
}
