package dev.sbx.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuantitiesTest {

  @Test
  void cpuShouldReadCoresAndMillicoresAsKubernetesDoes() {
    assertThat(Quantities.cpuMillis("1")).isEqualTo(1000);
    assertThat(Quantities.cpuMillis("0.5")).isEqualTo(500);
    assertThat(Quantities.cpuMillis("500m")).isEqualTo(500);
    assertThat(Quantities.cpuMillis(" 2.25 ")).isEqualTo(2250);
    for (var bad : new String[] {"0", "0.0001", "1.5m", "-1", "one", "1Gi", ""}) {
      assertThatThrownBy(() -> Quantities.cpuMillis(bad)).as(bad).hasMessageContaining("CPU");
    }
  }

  @Test
  void bytesShouldReadBinaryAndDecimalUnits() {
    assertThat(Quantities.bytes("512Mi")).isEqualTo(512L << 20);
    assertThat(Quantities.bytes("1Gi")).isEqualTo(1L << 30);
    assertThat(Quantities.bytes("1GiB")).isEqualTo(1L << 30);
    assertThat(Quantities.bytes("2G")).isEqualTo(2_000_000_000L);
    assertThat(Quantities.bytes("1.5Ki")).isEqualTo(1536);
    assertThat(Quantities.bytes("1048576")).isEqualTo(1 << 20);
    for (var bad : new String[] {"0", "0.5", "1m", "lots", "9999999Pi"}) {
      assertThatThrownBy(() -> Quantities.bytes(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void formatShouldWriteTheShortestExactQuantity() {
    assertThat(Quantities.formatCpu(1000)).isEqualTo("1");
    assertThat(Quantities.formatCpu(1500)).isEqualTo("1500m");
    assertThat(Quantities.formatBytes(1L << 30)).isEqualTo("1Gi");
    assertThat(Quantities.formatBytes(1536L << 20)).isEqualTo("1536Mi");
    assertThat(Quantities.formatBytes(1000)).isEqualTo("1000");
  }

  @Test
  void limitKeysShouldTakeNoneAndRefuseWhatIsNotAQuantity() throws IOException {
    var config = ConfigLoader.load(Map.of("SANDBOX_MEM_LIMIT", "none", "SANDBOX_PIDS_LIMIT", "64"));
    assertThat(config.text(ConfigKey.MEM_LIMIT)).isNull();
    assertThat(config.text(ConfigKey.PIDS_LIMIT)).isEqualTo("64");
    assertThat(config.text(ConfigKey.CPU_LIMIT)).isEqualTo("1");
    var file = Files.createTempFile("limits", ".yaml");
    Files.writeString(file, "cpu_limit: 0.5\npids_limit: 100\ndisk_limit: 10Gi\n");
    var fromFile = ConfigLoader.load(Map.of("SANDBOX_CONFIG", file.toString()));
    assertThat(fromFile.text(ConfigKey.CPU_LIMIT)).isEqualTo("0.5");
    assertThat(fromFile.text(ConfigKey.PIDS_LIMIT)).isEqualTo("100");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_CPU_LIMIT", "lots")))
        .hasMessageStartingWith("SANDBOX_CPU_LIMIT=\"lots\"");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_PIDS_LIMIT", "0")))
        .hasMessageStartingWith("SANDBOX_PIDS_LIMIT=\"0\"");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SANDBOX_DISK_LIMIT", "2 GB")))
        .hasMessageContaining("SANDBOX_DISK_LIMIT");
  }
}
