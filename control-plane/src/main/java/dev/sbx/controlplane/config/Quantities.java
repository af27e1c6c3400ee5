package dev.sbx.controlplane.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resource quantities written as Kubernetes writes them ({@code 500m}, {@code 1.5}, {@code 512Mi},
 * {@code 2G}), so that one value means the same for both runtimes. Also accepts the {@code KiB},
 * {@code MiB}, {@code GiB} spelling of this project's other sizes.
 */
public final class Quantities {

  private static final Pattern QUANTITY =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|KiB|MiB|GiB|TiB|[mkMGTP])?");

  private static final Pattern CPU = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)m?");

  private static final Map<String, BigDecimal> UNITS =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("m", new BigDecimal("0.001")),
          Map.entry("k", BigDecimal.TEN.pow(3)),
          Map.entry("M", BigDecimal.TEN.pow(6)),
          Map.entry("G", BigDecimal.TEN.pow(9)),
          Map.entry("T", BigDecimal.TEN.pow(12)),
          Map.entry("P", BigDecimal.TEN.pow(15)),
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("KiB", BigDecimal.valueOf(1L << 10)),
          Map.entry("MiB", BigDecimal.valueOf(1L << 20)),
          Map.entry("GiB", BigDecimal.valueOf(1L << 30)),
          Map.entry("TiB", BigDecimal.valueOf(1L << 40)));

  private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};

  private Quantities() {}

  /**
   * CPU in thousandths of a core: {@code 1} is 1000, {@code 0.5} and {@code 500m} are 500.
   *
   * @throws IllegalArgumentException when it is not a positive CPU quantity of at least 1m
   */
  public static long cpuMillis(String text) {
    if (!CPU.matcher(text.trim()).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a CPU quantity (cores or millicores: 1, 0.5, 500m)");
    }
    var millis = parse(text, "CPU quantity (e.g. 1, 0.5, 500m)").movePointRight(3);
    if (millis.compareTo(BigDecimal.ONE) < 0 || millis.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a CPU quantity of at least 1m in steps of 1m (e.g. 1, 500m)");
    }
    return millis.longValueExact();
  }

  /**
   * Bytes: {@code 512Mi}, {@code 1Gi}, {@code 2G}, {@code 1048576}.
   *
   * @throws IllegalArgumentException when it is not a positive whole number of bytes
   */
  public static long bytes(String text) {
    var bytes = parse(text, "size (e.g. 512Mi, 1Gi, 2G)");
    if (bytes.signum() <= 0 || bytes.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a positive, whole number of bytes (e.g. 512Mi, 1Gi, 2G)");
    }
    try {
      return bytes.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too large", e);
    }
  }

  /** The shortest exact way to write a CPU quantity: {@code 2}, {@code 1500m}. */
  public static String formatCpu(long millis) {
    return millis % 1000 == 0 ? String.valueOf(millis / 1000) : millis + "m";
  }

  /** The largest binary unit that writes the bytes exactly: {@code 1Gi}, {@code 1536Mi}. */
  public static String formatBytes(long bytes) {
    int unit = 0;
    while (unit < BINARY.length - 1 && bytes != 0 && bytes % 1024 == 0) {
      bytes /= 1024;
      unit++;
    }
    return bytes + BINARY[unit];
  }

  private static BigDecimal parse(String text, String what) {
    var matcher = QUANTITY.matcher(text.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a " + what);
    }
    var unit = matcher.group(2) == null ? "" : matcher.group(2);
    return new BigDecimal(matcher.group(1)).multiply(UNITS.get(unit));
  }
}
