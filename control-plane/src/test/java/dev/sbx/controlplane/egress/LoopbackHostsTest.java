package dev.sbx.controlplane.egress;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the egress tests that send sandboxes out: hosts on this machine's loopback addresses
 * stand in for the internet, for the whole class ({@link LoopbackHosts}).
 */
@Tag("hosts-file")
abstract class LoopbackHostsTest {

  @TempDir static Path certificates;
  static LoopbackHosts hosts;

  @BeforeAll
  static void startHosts() throws Exception {
    hosts = new LoopbackHosts(certificates);
  }

  @AfterAll
  static void stopHosts() throws Exception {
    hosts.close();
  }
}
