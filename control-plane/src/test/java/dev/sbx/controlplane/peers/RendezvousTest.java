package dev.sbx.controlplane.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What rendezvous hashing promises: an even share, and only a leaving replica's share moves. */
class RendezvousTest {

  private static final List<String> IDS =
      IntStream.range(0, 3000).mapToObj(i -> "sbx-" + Integer.toHexString(i * 7919)).toList();

  @Test
  void eachOfThreeReplicasShouldOwnAboutAThird() {
    var replicas = Set.of("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080");
    var counts = new HashMap<String, Integer>();
    IDS.forEach(id -> counts.merge(Rendezvous.owner(replicas, id), 1, Integer::sum));
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
  }

  @Test
  void aReplicaThatLeavesShouldMoveOnlyItsOwnSandboxes() {
    var three = Set.of("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080");
    var two = Set.of("10.0.0.1:8080", "10.0.0.2:8080");
    for (var id : IDS) {
      var before = Rendezvous.owner(three, id);
      var after = Rendezvous.owner(two, id);
      if (!before.equals("10.0.0.3:8080")) {
        assertThat(after).as(id).isEqualTo(before);
      }
    }
  }

  @Test
  void noReplicaShouldOwnNothing() {
    assertThat(Rendezvous.owner(Set.of(), "sbx-a")).isNull();
  }
}
