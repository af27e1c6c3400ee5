package dev.sbx.controlplane.runtime.kubernetes;

import java.util.regex.Pattern;

/** Checks Kubernetes resource quantities (500m, 1.5, 2Gi, 1e3) before the API server sees them. */
final class Quantities {

  // The grammar of resource.Quantity: a signed decimal number with a binary-SI, decimal-SI or
  // decimal-exponent suffix.
  private static final Pattern QUANTITY =
      Pattern.compile(
          "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\\d+)?");

  private Quantities() {}

  static boolean valid(String value) {
    return QUANTITY.matcher(value).matches() && !value.startsWith("-");
  }
}
