package dev.sbx.cli.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Reads repeatable {@code -env KEY=VALUE} flags, which create and exec both take. */
final class EnvPairs {

  private EnvPairs() {}

  /** The variables in the order given; a pair without a key is a usage error. */
  static Map<String, Object> parse(CommandSpec spec, List<String> pairs) {
    var variables = new LinkedHashMap<String, Object>();
    for (String pair : pairs) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new ParameterException(
            spec.commandLine(), "invalid -env \"" + pair + "\" (expected KEY=VALUE)");
      }
      variables.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return variables;
  }
}
