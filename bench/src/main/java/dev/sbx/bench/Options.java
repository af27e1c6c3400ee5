package dev.sbx.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The driver's command line: {@code run} measures a running control plane, {@code report} merges
 * the fragments into latest.json and latest.md.
 */
final class Options {

  private final Map<String, String> values = new HashMap<>();
  private final String command;

  private Options(String command) {
    this.command = command;
  }

  static Options parse(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException(usage());
    }
    var options = new Options(args[0]);
    for (int i = 1; i < args.length; i++) {
      var arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg + "\n" + usage());
      }
      var name = arg.substring(2);
      if (name.equals("quick")) {
        options.values.put(name, "true");
      } else if (i + 1 < args.length) {
        options.values.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value\n" + usage());
      }
    }
    return options;
  }

  static String usage() {
    return """
        usage: sbx-bench run --url URL --pid PID --state-dir DIR --root REPO --tmp DIR [--quick]
                             [--only PARTS]  (parts of the suite, comma-separated, e.g. egress)
               sbx-bench report --tmp DIR --out DIR [--notes FILE]
               sbx-bench digest --jfr RECORDING""";
  }

  String command() {
    return command;
  }

  URI url() {
    return URI.create(required("url"));
  }

  long pid() {
    return Long.parseLong(required("pid"));
  }

  Path path(String name) {
    return Path.of(required(name)).toAbsolutePath();
  }

  Path pathOrNull(String name) {
    return values.containsKey(name) ? Path.of(values.get(name)).toAbsolutePath() : null;
  }

  /** The parts of the suite to run, comma-separated, or null for all of them. */
  String only() {
    return values.get("only");
  }

  boolean quick() {
    return values.containsKey("quick");
  }

  private String required(String name) {
    var value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required\n" + usage());
    }
    return value;
  }
}
