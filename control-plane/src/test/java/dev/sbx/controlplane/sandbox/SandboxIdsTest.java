package dev.sbx.controlplane.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SandboxIdsTest {

  @Test
  void generateShouldGiveSbxAndTwelveHexDigits() {
    assertThat(SandboxIds.generate()).matches("sbx-[0-9a-f]{12}");
    assertThat(SandboxIds.generate()).isNotEqualTo(SandboxIds.generate());
  }

  @Test
  void normalizeWhenShortFormShouldAddThePrefixOnce() {
    assertThat(SandboxIds.normalize("demo")).isEqualTo("sbx-demo");
    assertThat(SandboxIds.normalize("sbx-demo")).isEqualTo("sbx-demo");
  }

  @Test
  void normalizeWhenNotDns1123ShouldBeRejected() {
    for (var bad : new String[] {"Demo", "my_box", "-demo", "demo-", "", "a.b", "demo/x"}) {
      assertThatThrownBy(() -> SandboxIds.normalize(bad))
          .as(bad)
          .isInstanceOf(InvalidSandboxIdException.class);
    }
  }

  @Test
  void normalizeWhenLongerThan63WithPrefixShouldBeRejected() {
    assertThat(SandboxIds.normalize("a".repeat(59))).hasSize(63);
    assertThatThrownBy(() -> SandboxIds.normalize("a".repeat(60)))
        .isInstanceOf(InvalidSandboxIdException.class)
        .hasMessageContaining("63");
  }
}
