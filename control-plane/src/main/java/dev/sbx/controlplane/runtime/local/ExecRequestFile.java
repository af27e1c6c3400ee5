package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.ExecSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an exec request the way sbx-init reads it: NUL-separated fields (working directory, number
 * of env entries, NAME=value entries, program, arguments), so every argument reaches the program
 * exactly as given, whatever characters it holds.
 */
final class ExecRequestFile {

  private ExecRequestFile() {}

  static byte[] encode(ExecSpec spec) {
    var out = new ByteArrayOutputStream();
    field(out, spec.cwd());
    field(out, String.valueOf(spec.env().size()));
    spec.env().forEach((name, value) -> field(out, name + "=" + value));
    spec.command().forEach(arg -> field(out, arg));
    return out.toByteArray();
  }

  /** The program and arguments of a request file; empty when it cannot be read. */
  static List<String> command(byte[] request) {
    var fields = new ArrayList<String>();
    int start = 0;
    for (int i = 0; i < request.length; i++) {
      if (request[i] == 0) {
        fields.add(new String(request, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    try {
      int envCount = Integer.parseInt(fields.get(1));
      return List.copyOf(fields.subList(2 + envCount, fields.size()));
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private static void field(ByteArrayOutputStream out, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a NUL character cannot be passed to a program");
    }
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }
}
