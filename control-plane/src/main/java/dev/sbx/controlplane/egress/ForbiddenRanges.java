package dev.sbx.controlplane.egress;

import dev.sbx.controlplane.runtime.Addresses;
import dev.sbx.controlplane.runtime.HostEntry;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The addresses no sandbox reaches unless an allowed address or range names them: this machine
 * (loopback, its own addresses), link-local (cloud metadata at 169.254.169.254), private and
 * unique-local networks, and the special ranges behind which a private network may hide.
 */
final class ForbiddenRanges {

  /**
   * One forbidden range.
   *
   * @param what what it is, as a refusal names it ("loopback", "private"...)
   */
  record Range(byte[] network, int prefix, String what) {
    boolean contains(byte[] address) {
      return Addresses.contains(network, prefix, address);
    }
  }

  private static final List<Range> RANGES =
      List.of(
          range("0.0.0.0/8", "unspecified"), // connecting to 0.0.0.0 reaches this machine
          range("127.0.0.0/8", "loopback"),
          range("10.0.0.0/8", "private"),
          range("172.16.0.0/12", "private"),
          range("192.168.0.0/16", "private"),
          range("169.254.0.0/16", "link-local"),
          range("100.64.0.0/10", "carrier-grade NAT"), // some clouds' metadata lives here
          range("192.0.0.0/24", "reserved"),
          range("192.0.2.0/24", "documentation"),
          range("198.18.0.0/15", "benchmarking"),
          range("198.51.100.0/24", "documentation"),
          range("203.0.113.0/24", "documentation"),
          range("224.0.0.0/4", "multicast"),
          range("240.0.0.0/4", "reserved"), // and 255.255.255.255, broadcast
          range("::/128", "unspecified"),
          range("::1/128", "loopback"),
          range("::/96", "reserved"), // IPv4-compatible, deprecated
          range("100::/64", "discard"),
          range("2001::/32", "reserved"), // Teredo: a tunnel whose far end we cannot check
          range("2001:db8::/32", "documentation"),
          range("fc00::/7", "unique-local"),
          range("fe80::/10", "link-local"),
          range("fec0::/10", "site-local"),
          range("ff00::/8", "multicast"));

  // IPv6 prefixes that carry an IPv4 address: checked as that IPv4 address as well.
  private static final Range NAT64 = range("64:ff9b::/96", "NAT64");
  private static final Range SIX_TO_FOUR = range("2002::/16", "6to4");

  private final List<HostEntry> allowPrivate;
  private final Supplier<Set<InetAddress>> ownAddresses;

  /**
   * @param allowPrivate addresses and ranges usable despite this list ({@code
   *     SANDBOX_EGRESS_ALLOW_PRIVATE}), such as an internal package mirror
   * @param ownAddresses the control plane's own addresses now
   */
  ForbiddenRanges(List<HostEntry> allowPrivate, Supplier<Set<InetAddress>> ownAddresses) {
    this.allowPrivate = List.copyOf(allowPrivate);
    this.ownAddresses = ownAddresses;
  }

  /**
   * Why an address is out of reach ("a loopback address", "the control plane's own address"), or
   * null when it is not. An allowed entry unlocks a forbidden address only when it names it
   * exactly: an address, or a range no wider than the forbidden one (so {@code 10.1.0.0/16} unlocks
   * it, {@code 0.0.0.0/0} does not).
   */
  @Nullable String refusal(InetAddress address, int port, List<HostEntry> allowed) {
    var bytes = Addresses.bytes(address);
    var range = find(bytes);
    boolean own = ownAddresses.get().contains(Addresses.address(bytes));
    if (range == null && !own) {
      return null;
    }
    int widest = range == null ? bytes.length * 8 : range.prefix();
    for (var entry : allowPrivate) {
      if (entry.matchesAddress(address, port)) {
        return null;
      }
    }
    for (var entry : allowed) {
      if (entry.matchesAddress(address, port) && entry.prefix() >= widest) {
        return null;
      }
    }
    return own ? "the control plane's own address" : article(range.what()) + " address";
  }

  /** "a loopback", "an unspecified", "a unique-local": refusals are read by people. */
  private static String article(String what) {
    boolean vowel =
        "aeio".indexOf(what.charAt(0)) >= 0 || (what.startsWith("un") && !what.startsWith("uni"));
    return (vowel ? "an " : "a ") + what;
  }

  private static @Nullable Range find(byte[] address) {
    for (var range : RANGES) {
      if (range.contains(address)) {
        return range;
      }
    }
    for (var embedding : List.of(NAT64, SIX_TO_FOUR)) {
      if (embedding.contains(address)) {
        int at = embedding == NAT64 ? 12 : 2;
        var inner = find(Arrays.copyOfRange(address, at, at + 4));
        if (inner != null) {
          return new Range(
              embedding.network(),
              embedding.prefix(),
              inner.what() + " (in " + embedding.what() + ")");
        }
      }
    }
    return null;
  }

  private static Range range(String cidr, String what) {
    var entry = HostEntry.parse(cidr);
    int slash = cidr.indexOf('/');
    return new Range(Addresses.literal(cidr.substring(0, slash)), entry.prefix(), what);
  }
}
