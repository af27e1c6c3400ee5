package dev.sbx.controlplane.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostUidsTest {

  private static final HostUids.UidRange RANGE = new HostUids.UidRange(100_000, 100_002);

  @TempDir Path dir;

  @Test
  void allocateShouldGiveEachSandboxItsOwnUidAndReleaseShouldFreeIt() throws IOException {
    var uids = uids("state-a");
    var a = uids.allocate(sandbox("state-a", "sbx-a"));
    var b = uids.allocate(sandbox("state-a", "sbx-b"));
    assertThat(a.uid()).isNotEqualTo(b.uid());
    assertThat(a.gid()).isEqualTo(a.uid());
    uids.release(a, "sbx-a");
    assertThat(Files.exists(dir.resolve("registry").resolve(String.valueOf(a.uid())))).isFalse();
  }

  @Test
  void twoControlPlanesWithTheSameRangeShouldNeverHandOutTheSameUid() throws IOException {
    var first = uids("state-a");
    var second = uids("state-b");
    var a = first.allocate(sandbox("state-a", "sbx-1"));
    var b = second.allocate(sandbox("state-b", "sbx-1"));
    var c = first.allocate(sandbox("state-a", "sbx-2"));
    assertThat(Set.of(a.uid(), b.uid(), c.uid())).hasSize(3);
    assertThatThrownBy(() -> second.allocate(sandbox("state-b", "sbx-2")))
        .hasMessageContaining("every uid of SANDBOX_LOCAL_UID_RANGE=100000-100002 is taken");
    assertThat(second.reclaim(a, "sbx-1")).as("a live sandbox of the other one").isFalse();
  }

  @Test
  void aRestartShouldClaimTheSameUidAgainAndTakeOverClaimsOfSandboxesThatAreGone()
      throws IOException {
    var before = uids("state-a");
    var kept = before.allocate(sandbox("state-a", "sbx-kept"));
    var gone = before.allocate(sandbox("state-a", "sbx-gone"));
    deleteTree(dir.resolve("state-a/sbx-gone"));
    var after = uids("state-a");
    assertThat(after.reclaim(kept, "sbx-kept")).isTrue();
    var other = uids("state-b");
    assertThat(other.reclaim(gone, sandbox("state-b", "sbx-new"))).isTrue();
  }

  @Test
  void rangeShouldBeCheckedAndKeptClearOfHostAccounts() {
    assertThat(HostUids.UidRange.parse("2130706432-2130771967").size()).isEqualTo(65536);
    for (var bad : new String[] {"65534:65534", "0-10", "500-100", "1000-4294967295", "x-y"}) {
      assertThatThrownBy(() -> HostUids.UidRange.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith("SANDBOX_LOCAL_UID_RANGE=\"" + bad + "\"");
    }
    assertThatThrownBy(() -> HostAccounts.checkFree(new HostUids.UidRange(65534, 65534)))
        .hasMessageContaining("65534 belongs to nobody");
    HostAccounts.checkFree(HostUids.UidRange.parse("2130706432-2130771967"));
  }

  private HostUids uids(String state) throws IOException {
    return new HostUids(RANGE, dir.resolve("registry"), dir.resolve(state));
  }

  /** Makes the sandbox's folder, as a create does before it asks for a uid; returns its id. */
  private String sandbox(String state, String id) throws IOException {
    var folder = Files.createDirectories(dir.resolve(state).resolve(id));
    Files.writeString(folder.resolve(SandboxFolder.METADATA), "{}");
    return id;
  }

  private static void deleteTree(Path path) throws IOException {
    try (var files = Files.walk(path)) {
      for (var file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
