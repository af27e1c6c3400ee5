package dev.sbx.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsFolderTest {

  @TempDir Path dir;

  @Test
  void newStdoutShouldBeReportedByTheWatchWithoutAListing() throws Exception {
    try (var folder = new EventsFolder(dir, new Wakeup())) {
      Files.createFile(dir.resolve("0123456789abcdef.stdout"));
      Files.createFile(dir.resolve("0123456789abcdef.stderr"));
      Files.createFile(dir.resolve("not-an-exec.stdout"));

      var reported = new ArrayList<String>();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                reported.addAll(folder.takeCreated());
                assertThat(reported).containsExactly("0123456789abcdef");
              });
    }
  }

  @Test
  void scanShouldListExecsAndFinishAnInterruptedCleanUp() throws Exception {
    for (String name :
        new String[] {
          "00000000000000aa.stdout",
          "00000000000000aa.state",
          "00000000000000bb.stderr",
          "00000000000000bb.exit",
          "00000000000000bb.state",
          "notes.txt"
        }) {
      Files.createFile(dir.resolve(name));
    }
    try (var folder = new EventsFolder(dir, new Wakeup())) {
      assertThat(folder.scan()).containsExactly("00000000000000aa");
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(path -> path.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "00000000000000aa.stdout", "00000000000000aa.state", "notes.txt");
    }
  }
}
