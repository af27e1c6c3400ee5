package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.FakeControlPlane;
import org.junit.jupiter.api.Test;

class LsCommandTest {

  @Test
  void lsShouldPrintOneRowPerEntryWithSymlinkTargets() throws Exception {
    String body =
        """
        {"path":"/workspace","entries":[
          {"name":"data.bin","path":"/workspace/data.bin","type":"file","size":1048576,
           "mode":"0644","mtime":"2026-12-04T10:55:11.073992383Z"},
          {"name":"link","path":"/workspace/link","type":"symlink","size":8,
           "mode":"0777","mtime":"2026-12-04T10:55:12Z","target":"data.bin"}]}""";
    try (var plane = FakeControlPlane.start().respond("GET", "/sandboxes/sbx-a/files", 200, body)) {
      var result = sbx(plane, "ls", "-id", "sbx-a");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out())
          .isEqualTo(
              """
              TYPE      SIZE      MODE   MODIFIED               NAME
              file      1048576   0644   2026-12-04T10:55:11Z   data.bin
              symlink   8         0777   2026-12-04T10:55:12Z   link -> data.bin
              """);
      assertThat(plane.awaitRequest("GET", "/sandboxes/sbx-a/files").query())
          .isEqualTo("path=/workspace");
    }
  }
}
