package dev.sbx.cli.command;

import static dev.sbx.cli.testing.Cli.sbx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sbx.cli.testing.FakeControlPlane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpCommandTest {

  @TempDir Path dir;

  @Test
  void aFileCopiedIntoAFolderShouldKeepItsNameAndItsBytes() throws Exception {
    var file = Files.writeString(dir.resolve("notes.txt"), "hello\n");
    try (var plane =
        FakeControlPlane.start()
            .respond(
                "PUT",
                "/sandboxes/sbx-a/files/content",
                201,
                "{\"path\":\"/workspace/in/notes.txt\",\"size\":6,\"sha256\":\"x\"}")) {
      var result = sbx(plane, "cp", file.toString(), "sbx-a:in/");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      var put = plane.awaitRequest("PUT", "/sandboxes/sbx-a/files/content");
      assertThat(put.query()).isEqualTo("path=in/notes.txt");
      assertThat(put.body()).isEqualTo("hello\n");
    }
  }

  @Test
  void aFileCopiedOutShouldLandWholeInTheLocalFolder() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .respond(
                "GET",
                "/sandboxes/sbx-a/files/content",
                200,
                "application/octet-stream",
                "the bytes")) {
      var result = sbx(plane, "cp", "sbx-a:/workspace/out.txt", dir.toString());

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8))
          .isEqualTo("the bytes");
      assertThat(plane.awaitRequest("GET", "/sandboxes/sbx-a/files/content").query())
          .isEqualTo("path=/workspace/out.txt");
      try (var left = Files.list(dir)) {
        assertThat(left).containsExactly(dir.resolve("out.txt"));
      }
    }
  }

  @Test
  void aMissingFileShouldFailWithOneLineAndLeaveNothing() throws Exception {
    try (var plane =
        FakeControlPlane.start()
            .problem(
                "GET",
                "/sandboxes/sbx-a/files/content",
                404,
                "File not found",
                "/workspace/gone does not exist")) {
      var result = sbx(plane, "cp", "sbx-a:gone", dir.resolve("gone").toString());

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.err().strip())
          .contains("/workspace/gone does not exist")
          .doesNotContain("\n");
      try (var left = Files.list(dir)) {
        assertThat(left).isEmpty();
      }
    }
  }

  @Test
  void twoLocalPathsShouldBeAUsageError() throws Exception {
    try (var plane = FakeControlPlane.start()) {
      var result = sbx(plane, "cp", "a", "b");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.err()).contains("one side must be a sandbox's (ID:PATH)");
    }
  }
}
