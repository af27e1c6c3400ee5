package dev.sbx.cli.command;

import dev.sbx.cli.client.ControlPlaneClient;
import dev.sbx.cli.output.Printer;
import dev.sbx.cli.output.Terminal;
import java.io.InputStream;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The flags every command accepts, with the streams and environment the commands run against. */
public final class GlobalOptions {

  /** The mixin's name on the top command, where subcommands look it up. */
  public static final String NAME = "globals";

  static final String DEFAULT_ADDR = "http://localhost:8080";

  /** How command results are printed. */
  public enum Format {
    TEXT,
    JSON
  }

  @Option(
      names = {"-addr", "--addr"},
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = {"Control plane URL.", "Default: $SBX_ADDR, else " + DEFAULT_ADDR + "."})
  String addr;

  @Option(
      names = {"-token", "--token"},
      paramLabel = "TOKEN",
      scope = ScopeType.INHERIT,
      description = {"Bearer token for the control plane.", "Default: $SBX_TOKEN."})
  String token;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      description = "text (default) or json: the server's JSON as is.")
  Format output = Format.TEXT;

  @Option(names = "--stacktrace", hidden = true, scope = ScopeType.INHERIT)
  boolean stacktrace;

  private final Printer out;
  private final Printer err;
  private final InputStream in;
  private final Map<String, String> env;
  private final Terminal terminal;

  public GlobalOptions(
      Printer out, Printer err, InputStream in, Map<String, String> env, Terminal terminal) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = env;
    this.terminal = terminal;
  }

  static GlobalOptions of(CommandSpec spec) {
    return (GlobalOptions) spec.root().mixins().get(NAME).userObject();
  }

  public boolean stacktrace() {
    return stacktrace;
  }

  Printer out() {
    return out;
  }

  Printer err() {
    return err;
  }

  InputStream in() {
    return in;
  }

  /** A variable of sbx's own environment, or null. */
  String env(String name) {
    return env.get(name);
  }

  /** Which of {@link #out()} and {@link #err()} a person is looking at. */
  Terminal terminal() {
    return terminal;
  }

  boolean json() {
    return output == Format.JSON;
  }

  /**
   * With {@code -o json}, prints the server's answer as it came and returns true; the text form is
   * then the caller's to print.
   */
  boolean printedAsJson(String response) {
    if (json()) {
      out.document(response);
    }
    return json();
  }

  ControlPlaneClient client() {
    return new ControlPlaneClient(baseUrl(), token());
  }

  /** The bearer token from -token or $SBX_TOKEN, or null for none. */
  String token() {
    return nonEmpty(token != null ? token : env.get("SBX_TOKEN"));
  }

  String baseUrl() {
    String url = nonEmpty(addr != null ? addr : env.get("SBX_ADDR"));
    if (url == null) {
      return DEFAULT_ADDR;
    }
    // Forgiving "localhost:8080", which the original CLI would have failed on.
    if (!url.contains("://")) {
      url = "http://" + url;
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    return url;
  }

  private static String nonEmpty(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
