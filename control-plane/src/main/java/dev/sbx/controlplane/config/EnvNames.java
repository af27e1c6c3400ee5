package dev.sbx.controlplane.config;

import java.util.regex.Pattern;

/** The names a sandbox's environment accepts: the portable shell variable names. */
public final class EnvNames {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private EnvNames() {}

  public static boolean valid(String name) {
    return NAME.matcher(name).matches();
  }
}
