package dev.sbx.controlplane.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.controlplane.runtime.Addresses;
import dev.sbx.controlplane.runtime.EgressPolicy;
import dev.sbx.controlplane.runtime.HostEntry;
import dev.sbx.controlplane.runtime.NetworkMode;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressRulesTest {

  private static final InetAddress PUBLIC = address("93.184.216.34");
  private static final InetAddress OWN = address("198.162.1.9");

  private final EgressRules rules =
      new EgressRules(new ForbiddenRanges(List.of(), () -> Set.of(OWN)));

  @Test
  void decideWhenModeIsNoneShouldDenyBeforeResolving() {
    var decision = rules.beforeResolving(EgressPolicy.NONE, Target.parse("pypi.org:443", 443));
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo("network is none");
  }

  @Test
  void decideWhenNameIsAllowedShouldConnectToItsPublicAddress() {
    var decision = allowlist("pypi.org").afterResolving("pypi.org:443", PUBLIC);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.address()).isEqualTo(PUBLIC);
    assertThat(decision.reason()).isEqualTo("allowed_hosts: pypi.org");
  }

  @Test
  void decideWhenNameIsNotAllowedShouldDenyWithoutResolving() {
    var policy = new EgressPolicy(NetworkMode.ALLOWLIST, List.of("pypi.org"), List.of());
    var decision = rules.beforeResolving(policy, Target.parse("evil.com:443", 443));
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo("not in allowed_hosts");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.9.9.9",
        "10.0.0.1",
        "172.16.5.5",
        "192.168.1.1",
        "169.254.169.254",
        "100.100.100.200",
        "0.0.0.0",
        "::1",
        "fd00:ec2::254",
        "fe80::1",
        "::ffff:127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::1",
        "198.162.1.9"
      })
  void decideWhenAllowedNameResolvesToForbiddenAddressShouldRefuseIt(String resolved) {
    var decision = allowlist("mirror.test").afterResolving("mirror.test:443", address(resolved));
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).containsPattern(" is (an?|the) .*address");
  }

  @Test
  void decideWhenOpenShouldStillRefuseForbiddenAddresses() {
    var decision = open(List.of()).afterResolving("rebind.test:80", address("127.0.0.8"));
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo("127.0.0.8 is a loopback address");
  }

  @Test
  void decideWhenANameResolvesToTheControlPlanesOwnAddressShouldRefuseItEvenInOpen() {
    var decision = open(List.of()).afterResolving("own.test:8080", OWN);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo("198.162.1.9 is the control plane's own address");
    var unspecified = open(List.of()).afterResolving("zero.test:80", address("0.0.0.0"));
    assertThat(unspecified.reason()).isEqualTo("0.0.0.0 is an unspecified address");
    var uniqueLocal = open(List.of()).afterResolving("ula.test:80", address("fd00::1"));
    assertThat(uniqueLocal.reason()).isEqualTo("fd00:0:0:0:0:0:0:1 is a unique-local address");
  }

  @Test
  void decideWhenOpenShouldAllowPublicAddresses() {
    assertThat(open(List.of()).afterResolving("example.com:443", PUBLIC).allowed()).isTrue();
  }

  @Test
  void decideWhenDisallowedShouldWinInOpenMode() {
    var decision = open(List.of("*.example.com")).afterResolving("www.example.com:443", PUBLIC);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo("disallowed_hosts: *.example.com");
  }

  @Test
  void decideWhenDisallowedAddressShouldTryTheNextOne() {
    var policy = new EgressPolicy(NetworkMode.OPEN, List.of(), List.of("93.184.216.34"));
    var decision =
        rules.afterResolving(
            policy, Target.parse("example.com:443", 443), List.of(PUBLIC, address("1.1.1.1")));
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.address()).isEqualTo(address("1.1.1.1"));
  }

  @Test
  void decideWhenAllowedEntryNamesThePrivateRangeShouldAllowIt() {
    var policy =
        new EgressPolicy(NetworkMode.ALLOWLIST, List.of("mirror.test", "10.1.0.0/16"), List.of());
    var decision =
        rules.afterResolving(
            policy, Target.parse("mirror.test:443", 443), List.of(address("10.1.2.3")));
    assertThat(decision.allowed()).isTrue();
  }

  @Test
  void decideWhenAllowedRangeIsWiderThanTheForbiddenOneShouldStillRefuse() {
    var policy = new EgressPolicy(NetworkMode.ALLOWLIST, List.of("0.0.0.0/0"), List.of());
    var decision =
        rules.afterResolving(
            policy, Target.parse("10.1.2.3:22", 443), List.of(address("10.1.2.3")));
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo("10.1.2.3 is a private address");
  }

  @Test
  void decideWhenAddressIsInAllowPrivateShouldAllowIt() {
    var allowPrivate =
        new EgressRules(new ForbiddenRanges(List.of(HostEntry.parse("127.0.0.7/32")), Set::of));
    var policy = new EgressPolicy(NetworkMode.ALLOWLIST, List.of("allowed.test"), List.of());
    var target = Target.parse("allowed.test:80", 80);
    assertThat(allowPrivate.afterResolving(policy, target, List.of(address("127.0.0.7"))).allowed())
        .isTrue();
    assertThat(allowPrivate.afterResolving(policy, target, List.of(address("127.0.0.8"))).allowed())
        .isFalse();
  }

  @Test
  void decideWhenAllowlistHasAPortShouldRefuseOtherPorts() {
    var policy = new EgressPolicy(NetworkMode.ALLOWLIST, List.of("pypi.org:443"), List.of());
    assertThat(rules.beforeResolving(policy, Target.parse("pypi.org:22", 443)).allowed()).isFalse();
  }

  private Rules allowlist(String... allowed) {
    return new Rules(new EgressPolicy(NetworkMode.ALLOWLIST, List.of(allowed), List.of()));
  }

  private Rules open(List<String> disallowed) {
    return new Rules(new EgressPolicy(NetworkMode.OPEN, List.of(), disallowed));
  }

  private final class Rules {
    private final EgressPolicy policy;

    Rules(EgressPolicy policy) {
      this.policy = policy;
    }

    Decision afterResolving(String authority, InetAddress resolved) {
      return rules.afterResolving(policy, Target.parse(authority, 443), List.of(resolved));
    }
  }

  private static InetAddress address(String literal) {
    return Addresses.address(Addresses.literal(literal));
  }
}
