package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FramesTest {

  @TempDir Path dir;

  private final Frames frames = new Frames();

  @Test
  void startAndExitShouldBeTheFlatObjectsTheControlPlaneReads() {
    frames.start("0123456789abcdef", 4);
    assertThat(frames.frame().toString())
        .isEqualTo("{\"type\":\"start\",\"exec_id\":\"0123456789abcdef\",\"resume_seq\":4}");

    frames.exit("0123456789abcdef", 3, 9);
    assertThat(frames.frame().toString())
        .isEqualTo(
            "{\"type\":\"exit\",\"exec_id\":\"0123456789abcdef\",\"exit_code\":3,\"resume_seq\":9}");
  }

  @Test
  void outputOfTextShouldEscapeWhatJsonRequiresAndReadBackTheSame() throws Exception {
    String value =
        "quote\" backslash\\ nl\n cr\r tab\t bs\b ff\f nul\u0000 esc\u001b é ✓ \uD83D\uDE00";
    var file = write(value.getBytes(UTF_8));

    int sent = frames.output("e", "stdout", file, 0, Files.size(file), true, 2);

    String text = frames.frame().toString();
    assertThat(sent).isEqualTo(value.getBytes(UTF_8).length);
    assertThat(text).contains("\\u0000").contains("\\u001B").doesNotContain("\u0000");
    assertThat(Frame.parse(text))
        .isEqualTo(
            Map.of(
                "type",
                "output",
                "exec_id",
                "e",
                "stream",
                "stdout",
                "offset",
                0L,
                "data",
                value,
                "resume_seq",
                2L));
  }

  @Test
  void outputOfBytesThatAreNotUtf8ShouldMatchTheJdkBase64EncoderForEveryPadding() throws Exception {
    byte[] bytes = {(byte) 0xff, 'a', 'n', 'y', ' ', 'c', 'a', 'r'};
    for (int length = 1; length <= 6; length++) {
      var file = write(Arrays.copyOf(bytes, length));

      frames.output("e", "stderr", file, 0, length, true, 0);

      assertThat(Frame.parse(frames.frame()))
          .as("%d bytes", length)
          .containsEntry("data", Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, length)))
          .containsEntry("encoding", "base64");
    }
  }

  @Test
  void outputOfTextThatEscapingWouldBlowUpShouldGoAsBase64UnderTheFrameLimit() throws Exception {
    var file = write(new byte[Frames.MAX_CHUNK]);

    int sent = frames.output("e", "stdout", file, 0, Frames.MAX_CHUNK, true, 0);

    assertThat(sent).isEqualTo(Frames.MAX_CHUNK);
    assertThat(frames.frame().length()).isLessThan(128 * 1024);
    assertThat(Frame.parse(frames.frame())).containsEntry("encoding", "base64");
  }

  @Test
  void outputShouldStartAtTheOffsetAndLeaveACutCharacterForLater() throws Exception {
    var file = write("ab€".getBytes(UTF_8));

    int sent = frames.output("e", "stdout", file, 1, 4, false, 0);

    assertThat(sent).isEqualTo(1);
    assertThat(Frame.parse(frames.frame())).containsEntry("offset", 1L).containsEntry("data", "b");
  }

  @Test
  void eachFrameShouldReplaceTheLastInTheReusedBuffer() throws Exception {
    var file = write("some output\n".getBytes(UTF_8));
    frames.output("e", "stdout", file, 0, Files.size(file), true, 0);

    frames.start("f", 0);

    assertThat(frames.frame().toString())
        .isEqualTo("{\"type\":\"start\",\"exec_id\":\"f\",\"resume_seq\":0}");
  }

  private Path write(byte[] bytes) throws Exception {
    return Files.write(Files.createTempFile(dir, "out", ".stdout"), bytes);
  }
}
