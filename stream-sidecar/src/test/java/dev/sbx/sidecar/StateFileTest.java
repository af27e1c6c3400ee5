package dev.sbx.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

  @TempDir Path dir;

  @Test
  void readWhenNothingWasSavedShouldReturnNull() throws Exception {
    assertThat(new StateFile(dir.resolve("x.state")).read()).isNull();
  }

  @Test
  void writeShouldReplaceTheFileInTheDocumentedFormatWithoutLeavingTheTmp() throws Exception {
    var file = dir.resolve("x.state");
    var state = new StateFile(file);

    state.write(new StateFile.Progress(1, 2, 3));
    state.write(new StateFile.Progress(7, 65536, 12));

    assertThat(file).hasContent("seq=7 stdout=65536 stderr=12");
    assertThat(state.read()).isEqualTo(new StateFile.Progress(7, 65536, 12));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void readWhenTheFileIsGarbledShouldSaySo() throws Exception {
    var file = dir.resolve("x.state");
    Files.writeString(file, "seq=x");

    assertThatIOException()
        .isThrownBy(() -> new StateFile(file).read())
        .withMessageContaining("seq=x");
  }
}
