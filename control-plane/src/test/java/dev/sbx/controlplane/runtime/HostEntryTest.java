package dev.sbx.controlplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostEntryTest {

  @Test
  void parseWhenNameShouldMatchOnlyThatNameInAnyCase() {
    var entry = HostEntry.parse("PyPI.org");
    assertThat(entry.kind()).isEqualTo(HostEntry.Kind.NAME);
    assertThat(entry.matchesName("pypi.org", 443)).isTrue();
    assertThat(entry.matchesName("files.pypi.org", 443)).isFalse();
    assertThat(entry.matchesName("evilpypi.org", 443)).isFalse();
  }

  @Test
  void parseWhenWildcardShouldMatchSubdomainsButNotTheNameItself() {
    var entry = HostEntry.parse("*.github.com");
    assertThat(entry.matchesName("api.github.com", 443)).isTrue();
    assertThat(entry.matchesName("a.b.github.com", 80)).isTrue();
    assertThat(entry.matchesName("github.com", 443)).isFalse();
    assertThat(entry.matchesName("evilgithub.com", 443)).isFalse();
  }

  @Test
  void parseWhenPortIsGivenShouldMatchOnlyThatPort() {
    var entry = HostEntry.parse("example.com:443");
    assertThat(entry.matchesName("example.com", 443)).isTrue();
    assertThat(entry.matchesName("example.com", 80)).isFalse();
  }

  @Test
  void parseWhenCidrShouldMatchAddressesInside() throws Exception {
    var entry = HostEntry.parse("10.1.0.0/16");
    assertThat(entry.kind()).isEqualTo(HostEntry.Kind.RANGE);
    assertThat(entry.prefix()).isEqualTo(16);
    assertThat(entry.matchesAddress(InetAddress.getByName("10.1.200.3"), 1)).isTrue();
    assertThat(entry.matchesAddress(InetAddress.getByName("10.2.0.1"), 1)).isFalse();
    assertThat(entry.matchesAddress(InetAddress.getByName("::ffff:10.1.0.9"), 1)).isTrue();
  }

  @Test
  void parseWhenIpv6WithPortShouldNeedBrackets() throws Exception {
    var entry = HostEntry.parse("[2001:db8::1]:8443");
    assertThat(entry.kind()).isEqualTo(HostEntry.Kind.ADDRESS);
    assertThat(entry.port()).isEqualTo(8443);
    assertThat(entry.matchesAddress(InetAddress.getByName("2001:db8::1"), 8443)).isTrue();
    assertThat(HostEntry.parse("fd00::/8").matchesAddress(InetAddress.getByName("fd12::1"), 1))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "exa mple.com",
        "*",
        "*.",
        "a.*.com",
        "-bad.com",
        "bad-.com",
        "1.2.3",
        "256.1.1.1",
        "01.2.3.4",
        "10.0.0.0/33",
        "example.com:0",
        "example.com:65536",
        "example.com:http",
        "[::1",
        "::1:80:",
        "http://example.com",
        "example.com/path"
      })
  void parseWhenEntryIsBadShouldSayWhich(String given) {
    assertThatThrownBy(() -> HostEntry.parse(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @CsvSource({"1.2.3.4,true", "1.2.3,false", "::1,true", "example.com,false", "1.2.3.04,false"})
  void literalWhenTextIsOrIsNotAnAddressShouldNeverAskDns(String text, boolean isAddress) {
    assertThat(Addresses.literal(text) != null).isEqualTo(isAddress);
  }
}
