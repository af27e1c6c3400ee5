package dev.sbx.controlplane.exec;

import dev.sbx.controlplane.config.EnvNames;
import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.ExecSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Checks an exec request field by field; a bad one is a 400 naming the field. */
final class ExecRequestCheck {

  private ExecRequestCheck() {}

  static List<String> command(@Nullable List<String> command) {
    if (command == null || command.isEmpty()) {
      throw new InvalidRequestException("command", "command is required");
    }
    for (var arg : command) {
      if (arg == null) {
        throw new InvalidRequestException("command", "arguments must be strings, not null");
      }
      noNul("command", arg);
    }
    if (command.get(0).isEmpty()) {
      throw new InvalidRequestException("command", "the program name is empty");
    }
    return List.copyOf(command);
  }

  /** The timeout to apply: the request's, else the server default; null for none. */
  static @Nullable Integer timeoutSeconds(
      @Nullable Integer requested, @Nullable Duration byDefault, Duration max) {
    if (requested == null) {
      return byDefault == null ? null : (int) Math.min(Integer.MAX_VALUE, byDefault.toSeconds());
    }
    if (requested <= 0) {
      throw new InvalidRequestException("timeout_seconds", "timeout_seconds must be > 0");
    }
    if (requested > max.toSeconds()) {
      throw new InvalidRequestException(
          "timeout_seconds", "timeout_seconds must be <= " + max.toSeconds());
    }
    return requested;
  }

  static Map<String, String> env(@Nullable Map<String, String> env) {
    if (env == null) {
      return Map.of();
    }
    env.forEach(
        (name, value) -> {
          if (!EnvNames.valid(name)) {
            throw new InvalidRequestException(
                "env", "\"" + name + "\" is not a valid environment variable name");
          }
          if (value == null) {
            throw new InvalidRequestException("env", name + ": the value must be a string");
          }
          noNul("env", value);
        });
    return Map.copyOf(env);
  }

  static String cwd(@Nullable String cwd) {
    if (cwd == null || cwd.isEmpty()) {
      return ExecSpec.DEFAULT_CWD;
    }
    if (!cwd.startsWith("/")) {
      throw new InvalidRequestException("cwd", "must be an absolute path in the sandbox");
    }
    noNul("cwd", cwd);
    return cwd;
  }

  static byte @Nullable [] stdin(@Nullable String text, @Nullable String base64) {
    if (text != null && base64 != null) {
      throw new InvalidRequestException("stdin", "give stdin or stdin_base64, not both");
    }
    if (base64 != null) {
      try {
        return Base64.getDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("stdin_base64", "not valid base64: " + e.getMessage());
      }
    }
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static void noNul(String field, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new InvalidRequestException(field, "cannot contain NUL characters");
    }
  }
}
