package dev.sbx.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * The file API with curl's defaults, beside {@code cp} of the same file on the host in the same
 * rounds: upload ({@code curl -T}) and download ({@code curl -o}) of one large file of random
 * bytes, and a folder of 10,000 small files through {@code /files/archive} (tar piped to and from
 * curl). The rounds interleave them, so a slower minute of the machine hits them all alike.
 */
final class FilesBenchmark {

  private static final int SMALL_FILES = 10_000;

  private final URI base;
  private final Scale scale;
  private final Results results;
  private final Path tmp;

  FilesBenchmark(URI base, Scale scale, Results results, Path tmp) {
    this.base = base;
    this.scale = scale;
    this.results = results;
    this.tmp = tmp;
  }

  void run(Api api) throws Exception {
    var sandbox = api.create();
    var work = Files.createDirectories(tmp.resolve("files-bench"));
    try {
      long size = fileBytes();
      var file = work.resolve("big.bin");
      shell("head -c " + size + " /dev/urandom > " + file);
      var tree = smallFiles(work.resolve("many"));
      var upload = new Samples();
      var download = new Samples();
      var cp = new Samples();
      var sandboxWrite = new Samples();
      var archiveUp = new Samples();
      var archiveDown = new Samples();
      var runs = new ArrayList<Object>();
      for (int round = 0; round < rounds(); round++) {
        var content = base + "/sandboxes/" + sandbox + "/files/content?path=big.bin";
        double up = size / 1e6 / timed("curl -sSf -T " + file + " '" + content + "' -o /dev/null");
        upload.add(up);
        var back = work.resolve("back.bin");
        double down = size / 1e6 / timed("curl -sSf '" + content + "' -o " + back);
        download.add(down);
        if (Files.size(back) != size || Files.mismatch(back, file) != -1) {
          throw new IOException("the download differs from the upload");
        }
        Files.delete(back);
        // A replaced file needs room for both until the rename: the sandbox's disk holds 2 GiB.
        shell("curl -sSf -X DELETE '" + base + "/sandboxes/" + sandbox + "/files?path=big.bin'");
        double copied = size / 1e6 / timed("cp " + file + " " + work.resolve("copy.bin"));
        cp.add(copied);
        // What the sandbox's own command gets writing a pipe's bytes to its disk: the upload's
        // ceiling, since its disk and its memory limit (page cache included) are the sandbox's.
        long start = System.nanoTime();
        api.exec(
            sandbox,
            "sh",
            "-c",
            "head -c "
                + size
                + " /dev/zero | dd of=/workspace/base.bin bs=65536 iflag=fullblock"
                + " status=none && rm /workspace/base.bin");
        double inside = size / 1e6 / ((System.nanoTime() - start) / 1e9);
        sandboxWrite.add(inside);
        Files.delete(work.resolve("copy.bin"));
        var archive = base + "/sandboxes/" + sandbox + "/files/archive?path=many" + round;
        double filesUp =
            SMALL_FILES
                / timed(
                    "tar -C " + tree + " -cf - . | curl -sSf -T - '" + archive + "' -o /dev/null");
        archiveUp.add(filesUp);
        var out = Files.createDirectories(work.resolve("many-back" + round));
        double filesDown = SMALL_FILES / timed("curl -sSf '" + archive + "' | tar -x -C " + out);
        archiveDown.add(filesDown);
        try (var files = Files.walk(out)) {
          long count = files.filter(Files::isRegularFile).count();
          if (count != SMALL_FILES) {
            throw new IOException("the folder came back with " + count + " files");
          }
        }
        runs.add(
            java.util.Map.of(
                "upload_mb_per_s", Figure.round(up),
                "download_mb_per_s", Figure.round(down),
                "cp_mb_per_s", Figure.round(copied),
                "sandbox_pipe_write_mb_per_s", Figure.round(inside),
                "archive_upload_files_per_s", Figure.round(filesUp),
                "archive_download_files_per_s", Figure.round(filesDown)));
      }
      String what = String.format("%.0f MB of random bytes (MB = 10^6 bytes), ", size / 1e6);
      results.figure(
          "files_upload_mb_per_s", Figure.of(upload, "MB/s", what + "curl -T to /files/content"));
      results.figure(
          "files_download_mb_per_s",
          Figure.of(download, "MB/s", what + "curl -o from /files/content"));
      results.figure(
          "files_cp_mb_per_s", Figure.of(cp, "MB/s", what + "cp on the host, same disk"));
      results.figure(
          "files_archive_upload_files_per_s",
          Figure.of(
              archiveUp,
              "files/s",
              SMALL_FILES + " files of ~12 bytes, tar | curl -T to /files/archive"));
      results.figure(
          "files_archive_download_files_per_s",
          Figure.of(
              archiveDown, "files/s", SMALL_FILES + " files, curl from /files/archive | tar -x"));
      results.value("files_upload_mb_per_s", upload.median());
      results.value("files_download_mb_per_s", download.median());
      results.value("files_cp_mb_per_s", cp.median());
      results.figure(
          "files_sandbox_pipe_write_mb_per_s",
          Figure.of(
              sandboxWrite,
              "MB/s",
              what
                  + "head -c | dd to /workspace by a command in the sandbox (its disk and memory limit)"));
      results.value("files_sandbox_pipe_write_mb_per_s", sandboxWrite.median());
      results.value("files_upload_cp_ratio", upload.median() / cp.median());
      results.value("files_upload_sandbox_write_ratio", upload.median() / sandboxWrite.median());
      results.value("files_download_cp_ratio", download.median() / cp.median());
      results.value("files_archive_upload_files_per_s", archiveUp.median());
      results.value("files_archive_download_files_per_s", archiveDown.median());
      results.detail("files_runs", runs);
    } finally {
      api.delete(sandbox);
      shell("rm -rf " + work);
    }
  }

  /** 1 GiB, as the issue measures, or the quick scale's stream size. */
  private long fileBytes() {
    return scale.streamBytes() >= 500_000_000L ? 1L << 30 : scale.streamBytes();
  }

  private int rounds() {
    return scale.streamRuns();
  }

  private static Path smallFiles(Path tree) throws IOException {
    for (int d = 0; d < 100; d++) {
      var dir = Files.createDirectories(tree.resolve("d" + d));
      for (int f = 0; f < SMALL_FILES / 100; f++) {
        Files.writeString(dir.resolve("f" + f), "file " + d + "/" + f + "\n");
      }
    }
    return tree;
  }

  /** Seconds one shell command took; it must succeed. */
  private static double timed(String command) throws IOException, InterruptedException {
    long start = System.nanoTime();
    shell(command);
    return (System.nanoTime() - start) / 1e9;
  }

  private static void shell(String command) throws IOException, InterruptedException {
    var process =
        new ProcessBuilder("bash", "-o", "pipefail", "-c", command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    var err = new String(process.getErrorStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException(command + " failed: " + err.strip());
    }
  }
}
