package dev.sbx.sidecar;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes an exec's files the way the exec wrapper in the sandbox does. */
final class ExecFiles {

  final Path dir;
  final String id;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private ExecFiles(Path dir, String id) {
    this.dir = dir;
    this.id = id;
  }

  /** Creates both output files empty, as the wrapper does before the program starts. */
  static ExecFiles create(Path dir, String id) throws IOException {
    var exec = new ExecFiles(dir, id);
    Files.createFile(exec.file(".stderr"));
    Files.createFile(exec.file(".stdout"));
    return exec;
  }

  ExecFiles out(String text) throws IOException {
    return out(text.getBytes(UTF_8));
  }

  ExecFiles out(byte[] bytes) throws IOException {
    return append(".stdout", bytes);
  }

  ExecFiles err(String text) throws IOException {
    return append(".stderr", text.getBytes(UTF_8));
  }

  ExecFiles err(byte[] bytes) throws IOException {
    return append(".stderr", bytes);
  }

  void exit(int code) throws IOException {
    var tmp = file(".exit.tmp");
    Files.writeString(tmp, code + "\n");
    Files.move(tmp, file(".exit"), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Everything written to stdout so far. */
  byte[] stdout() {
    return stdout.toByteArray();
  }

  /** Everything written to stderr so far. */
  byte[] stderr() {
    return stderr.toByteArray();
  }

  Path file(String suffix) {
    return dir.resolve(id + suffix);
  }

  private ExecFiles append(String suffix, byte[] bytes) throws IOException {
    Files.write(file(suffix), bytes, StandardOpenOption.APPEND);
    (suffix.equals(".stdout") ? stdout : stderr).writeBytes(bytes);
    return this;
  }
}
