package dev.sbx.controlplane.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sbx.controlplane.testing.Api;
import dev.sbx.controlplane.testing.Cli;
import dev.sbx.controlplane.testing.LocalControlPlaneTest;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file API on the real local runtime: streamed both ways, as the sandbox's user, inside it. */
class FilesE2ETest extends LocalControlPlaneTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void uploadShouldStreamAnyBodyAndDownloadShouldGiveTheSameBytes() throws Exception {
    var id = api.createSandbox();
    var lastUse = api.get("/sandboxes/" + id).json().get("last_exec_at");
    var bytes = random(24 << 20);
    // A body of unknown length (chunked), as a client streaming from a pipe sends it.
    var created =
        putContent(
            id,
            "deep/er/data.bin",
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body()).contains("\"size\":" + bytes.length).contains(sha256(bytes));
    var replaced =
        putContent(id, "deep/er/data.bin", HttpRequest.BodyPublishers.ofByteArray(bytes));
    assertThat(replaced.statusCode()).isEqualTo(204);
    assertThat(replaced.headers().firstValue("Sbx-File-Sha256")).hasValue(sha256(bytes));

    var download =
        http.send(
            content(id, "/workspace/deep/er/data.bin").GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
    assertThat(sha256(download.body())).isEqualTo(sha256(bytes));

    var part =
        http.send(
            content(id, "deep/er/data.bin").header("Range", "bytes=1000-1999").GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range"))
        .hasValue("bytes 1000-1999/" + bytes.length);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 2000));

    // A transfer is use of the sandbox, as an exec is (the idle reaper reads this).
    assertThat(api.get("/sandboxes/" + id).json().get("last_exec_at")).isNotEqualTo(lastUse);
    // The sandbox's commands see the file as the sandbox's user's.
    var seen = api.bash(id, "stat -c '%U %s %a' /workspace/deep/er/data.bin");
    assertThat(seen.text("stdout").strip()).isEqualTo("sandbox " + bytes.length + " 644");
  }

  @Test
  void anUploadPastTheDiskLimitShouldBe507AndLeaveNothing() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "the disk limit needs root (it mounts a file system image per sandbox)");
    assumeTrue(
        Files.exists(Path.of("/dev/loop-control")),
        "this machine has no loop devices to mount a sandbox's disk image on");
    var id = api.post("/sandboxes", "{\"resources\":{\"disk_limit\":\"64Mi\"}}").text("id");
    var full = putContent(id, "big.bin", HttpRequest.BodyPublishers.ofByteArray(random(100 << 20)));
    assertThat(full.statusCode()).as(full.body()).isEqualTo(507);
    assertThat(full.body()).contains("urn:sbx:problem:insufficient-storage");
    assertThat(api.bash(id, "ls -A /workspace").text("stdout")).isEmpty();
    // The space came back: a file that fits goes in.
    var fits = putContent(id, "fits.bin", HttpRequest.BodyPublishers.ofByteArray(random(8 << 20)));
    assertThat(fits.statusCode()).isEqualTo(201);
  }

  @Test
  void aGibibyteShouldGoInAndComeOutByteExactWithTheHeapFlat() throws Exception {
    var id = api.createSandbox();
    long size = 1L << 30;
    var expected = sha256(new RandomBytes(size, 42));
    try (var heap = new HeapWatch()) {
      var up =
          putContent(
              id,
              "gib.bin",
              HttpRequest.BodyPublishers.ofInputStream(() -> new RandomBytes(size, 42)));
      assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
      assertThat(up.body()).contains(expected).contains("\"size\":" + size);
      var down =
          http.send(
              content(id, "gib.bin").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(down.statusCode()).isEqualTo(200);
      assertThat(sha256(down.body())).isEqualTo(expected);
      assertThat(heap.growth()).as("heap growth after GC, bytes").isLessThan(64L << 20);
    }
  }

  @Test
  void tenThousandSmallFilesShouldMakeTheRoundTripWithSbxCp(@TempDir Path local) throws Exception {
    var id = api.createSandbox();
    var cli = new Cli(api);
    var tree = local.resolve("many");
    for (int d = 0; d < 100; d++) {
      var dir = Files.createDirectories(tree.resolve("d" + d));
      for (int f = 0; f < 100; f++) {
        var file = Files.writeString(dir.resolve("f" + f + ".txt"), "file " + d + "/" + f + "\n");
        if (f % 10 == 0) {
          Files.setPosixFilePermissions(
              file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        }
      }
    }
    Files.createSymbolicLink(tree.resolve("d0/link"), Path.of("f1.txt"));

    var up = cli.run("cp", tree.toString(), id + ":many");
    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(
            api.bash(
                    id,
                    "find /workspace/many -type f | wc -l; stat -c %a /workspace/many/d5/f10.txt")
                .text("stdout"))
        .isEqualTo("10000\n750\n");
    var back = Files.createDirectory(local.resolve("back"));
    var down = cli.run("cp", id + ":many", back.toString());
    assertThat(down.exitCode()).as(down.toString()).isZero();
    var diff =
        new ProcessBuilder(
                "diff", "-r", "--no-dereference", tree.toString(), back.resolve("many").toString())
            .redirectErrorStream(true)
            .start();
    var said = new String(diff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(diff.waitFor()).as(said).isZero();
    assertThat(Files.getPosixFilePermissions(back.resolve("many/d5/f10.txt")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
  }

  @Test
  void ifNoneMatchShouldRefuseToReplaceAndNothingShouldChange() throws Exception {
    var id = api.createSandbox();
    api.bash(id, "echo old > /workspace/kept.txt");
    var refused =
        http.send(
            content(id, "kept.txt")
                .header("If-None-Match", "*")
                .PUT(HttpRequest.BodyPublishers.ofString("new"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(412);
    assertThat(refused.body()).contains("urn:sbx:problem:file-exists");
    assertThat(api.bash(id, "cat /workspace/kept.txt; ls -a /workspace").text("stdout"))
        .isEqualTo("old\n.\n..\nkept.txt\n");
  }

  @Test
  void anUploadThatBreaksOffShouldLeaveNoFile() throws Exception {
    var id = api.createSandbox();
    try (var socket = new Socket("127.0.0.1", port)) {
      var out = socket.getOutputStream();
      out.write(
          ("PUT /sandboxes/"
                  + id
                  + "/files/content?path=cut.bin HTTP/1.1\r\nHost: x\r\n"
                  + "Content-Length: 10000000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(random(3 << 20));
      out.flush();
      // The upload is under way: its temporary file is there, next to where the file will be.
      awaitListing(id, listing -> listing.contains(".sbx-upload."));
    }
    // The client went away with 7 MB missing: the helper is ended before it sees an end of input,
    // and takes its temporary file with it.
    assertThat(awaitListing(id, listing -> listing.equals(".\n..\n"))).isEqualTo(".\n..\n");
  }

  private String awaitListing(String id, java.util.function.Predicate<String> done)
      throws InterruptedException {
    var deadline = System.nanoTime() + 20_000_000_000L;
    String listing;
    do {
      listing = api.bash(id, "ls -a /workspace").text("stdout");
      if (done.test(listing)) {
        return listing;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    return listing;
  }

  @Test
  void symlinksShouldNeverReachTheHost() throws Exception {
    var id = api.createSandbox();
    api.bash(
        id,
        "ln -s /etc/shadow /workspace/shadow; ln -s ../../../../../../etc /workspace/up;"
            + " ln -s /run/sbx /workspace/run");
    // Inside the sandbox /etc/shadow does not exist; the host's is never read.
    assertThat(get(id, "shadow").statusCode()).isEqualTo(404);
    var passwd = get(id, "up/passwd");
    assertThat(passwd.statusCode()).isEqualTo(200);
    assertThat(new String(passwd.body(), StandardCharsets.UTF_8))
        .isEqualTo(api.bash(id, "cat /etc/passwd").text("stdout"));
    // A link to the host's state folder leads nowhere inside.
    api.bash(id, "ln -s " + STATE_DIR + " /workspace/state");
    assertThat(get(id, "state/" + id + "/sandbox.json").statusCode()).isEqualTo(404);
    // A link swapped back and forth while it is read: each read is of what the sandbox sees at
    // that moment, never of the host's file.
    api.bash(id, "mkdir -p /workspace/real && echo mine > /workspace/real/passwd");
    var sandboxPasswd = api.bash(id, "cat /etc/passwd").text("stdout");
    var swapper =
        api.post(
            "/sandboxes/" + id + "/exec",
            Api.json(
                Map.of(
                    "command",
                    List.of(
                        "sh",
                        "-c",
                        "while :; do ln -sfn /etc /workspace/sw; ln -sfn /workspace/real"
                            + " /workspace/sw; done"),
                    "async",
                    true)));
    int whole = 0;
    for (int i = 0; i < 30; i++) {
      HttpResponse<byte[]> read;
      try {
        read = get(id, "sw/passwd");
      } catch (java.io.IOException cut) {
        continue; // swapped between the look and the read: cut, never mixed
      }
      if (read.statusCode() == 200) {
        whole++;
        assertThat(new String(read.body(), StandardCharsets.UTF_8)).isIn("mine\n", sandboxPasswd);
      }
    }
    assertThat(whole).isPositive();
    api.post("/sandboxes/" + id + "/execs/" + swapper.text("exec_id") + "/cancel", "");
    assertThat(sandboxPasswd).isNotEqualTo(Files.readString(Path.of("/etc/passwd")));
    // A write through a link lands where the sandbox's own command would put it, or is refused.
    var through = putContent(id, "run/x", HttpRequest.BodyPublishers.ofString("x"));
    assertThat(through.statusCode()).isIn(403, 409);
  }

  @Test
  void listAndDeleteShouldSayWhatIsThereAndRefuseWhatTheyMayNotDo() throws Exception {
    var id = api.createSandbox();
    api.bash(
        id, "mkdir -p /workspace/d/e && printf abc > /workspace/d/e/f && ln -s f /workspace/d/e/l");
    var listing = api.get("/sandboxes/" + id + "/files?path=d&recursive=true");
    assertThat(listing.status()).isEqualTo(200);
    var entries = listing.json().get("entries");
    assertThat(entries.size()).isEqualTo(3);
    assertThat(listing.body())
        .contains("\"path\":\"/workspace/d/e/f\",\"type\":\"file\",\"size\":3");
    assertThat(listing.body()).contains("\"type\":\"symlink\"").contains("\"target\":\"f\"");
    var one = api.get("/sandboxes/" + id + "/files?path=d/e/f");
    assertThat(one.json().get("entries").size()).isEqualTo(1);

    var beyond =
        http.send(
            content(id, "d/e/f").header("Range", "bytes=10-").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */3");
    assertThat(api.delete("/sandboxes/" + id + "/files?path=d").problemType())
        .isEqualTo("urn:sbx:problem:directory-not-empty");
    assertThat(api.delete("/sandboxes/" + id + "/files?path=/etc/passwd").problemType())
        .isEqualTo("urn:sbx:problem:permission-denied");
    assertThat(api.delete("/sandboxes/" + id + "/files?path=d&recursive=true").status())
        .isEqualTo(204);
    assertThat(api.get("/sandboxes/" + id + "/files?path=d").problemType())
        .isEqualTo("urn:sbx:problem:file-not-found");
    assertThat(api.get("/sandboxes/" + id + "/files/content?path=a%00b").status()).isEqualTo(400);
    assertThat(api.get("/sandboxes/nope/files?path=d").problemType())
        .isEqualTo("urn:sbx:problem:sandbox-not-found");
  }

  @Test
  void sbxCpAndLsShouldMoveFilesBothWaysWithTheRealCli(@TempDir Path local) throws Exception {
    var id = api.createSandbox();
    var cli = new Cli(api);
    var bytes = random(5 << 20);
    var file = Files.write(local.resolve("payload.bin"), bytes);

    var up = cli.run("cp", file.toString(), id + ":in/");
    assertThat(up.exitCode()).as(up.toString()).isZero();
    var listed = cli.run("ls", "-id", id, "in");
    assertThat(listed.out()).contains("file   " + bytes.length + "   0644").contains("payload.bin");

    var back = local.resolve("back");
    Files.createDirectory(back);
    var down = cli.run("cp", id + ":/workspace/in/payload.bin", back.toString());
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(Files.readAllBytes(back.resolve("payload.bin"))).isEqualTo(bytes);

    var missing = cli.run("cp", id + ":in/nothing", back.toString());
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.err()).contains("/workspace/in/nothing does not exist");
    try (var left = Files.list(back)) {
      assertThat(left).containsExactly(back.resolve("payload.bin"));
    }
  }

  @Test
  void aFolderShouldGoInAndComeBackOutAsATar() throws Exception {
    var id = api.createSandbox();
    var data = random(2 << 20);
    var tgz =
        tar(
            true,
            out -> {
              dir(out, "./");
              dir(out, "./src/");
              file(out, "./src/data.bin", data);
              file(out, "./src/notes.txt", "notes\n".getBytes(StandardCharsets.UTF_8));
              symlink(out, "./src/latest", "data.bin");
            });
    var put = putArchive(id, "project", HttpRequest.BodyPublishers.ofByteArray(tgz));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(put.body()).contains("\"entries\":4");
    assertThat(
            api.bash(id, "cd /workspace/project/src && readlink latest && stat -c %U notes.txt")
                .text("stdout"))
        .isEqualTo("data.bin\nsandbox\n");

    var back =
        http.send(
            api.request("/sandboxes/" + id + "/files/archive?path=project")
                .header("Accept", "application/gzip")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(back.headers().firstValue("Content-Type")).hasValue("application/gzip");
    var entries = new java.util.TreeMap<String, String>();
    try (var in =
        new TarArchiveInputStream(
            new java.util.zip.GZIPInputStream(new ByteArrayInputStream(back.body())))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(
            e.getName(),
            e.isSymbolicLink()
                ? "-> " + e.getLinkName()
                : e.isDirectory() ? "dir" : sha256(in.readAllBytes()));
      }
    }
    assertThat(entries)
        .containsEntry("src/data.bin", sha256(data))
        .containsEntry("src/latest", "-> data.bin")
        .containsKey("src/notes.txt");
  }

  @Test
  void aSandboxHoldingAHelpersPipeShouldNotHoldTheDownload() throws Exception {
    var id = api.createSandbox();
    api.bash(id, "head -c 60000000 /dev/urandom > /workspace/big.bin");
    var expected = api.bash(id, "sha256sum < /workspace/big.bin").text("stdout").substring(0, 64);
    // A process of the sandbox opens every helper's stdout pipe it finds, and keeps it open.
    var holder =
        api.post(
            "/sandboxes/" + id + "/exec",
            Api.json(
                Map.of(
                    "command",
                    List.of(
                        "bash",
                        "-c",
                        "while :; do for f in /run/sbx/x/helper-*.out; do"
                            + " [ -p \"$f\" ] && { sleep 120 >> \"$f\" & }; done; sleep 0.005; done"),
                    "async",
                    true)));
    try {
      long start = System.nanoTime();
      var download = get(id, "big.bin");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(sha256(download.body())).isEqualTo(expected);
      // The pipes are closed 5 s after the helper ended, not when the holder lets go (120 s).
      assertThat(seconds).isLessThan(30);
    } finally {
      api.post("/sandboxes/" + id + "/execs/" + holder.text("exec_id") + "/cancel", "");
    }
  }

  @Test
  void anArchiveTarCouldNotFinishShouldArriveCutNotWhole() throws Exception {
    var id = api.createSandbox();
    api.bash(
        id,
        "mkdir -p /workspace/d && head -c 3000000 /dev/urandom > /workspace/d/a"
            + " && echo secret > /workspace/d/z && chmod 000 /workspace/d/z");
    var request = api.request("/sandboxes/" + id + "/files/archive?path=d").GET().build();
    assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(java.io.IOException.class);
    assertThat(api.get("/sandboxes/" + id + "/files/archive?path=nothing").problemType())
        .isEqualTo("urn:sbx:problem:file-not-found");
  }

  @Test
  void archivesThatLeaveTheirFolderShouldBeRefused() throws Exception {
    var id = api.createSandbox();
    var cases =
        Map.<String, byte[]>of(
            "../../escape.txt",
            tar(false, out -> file(out, "../../escape.txt", new byte[] {1})),
            "/tmp/escape.txt",
            tar(false, out -> file(out, "/tmp/escape.txt", new byte[] {1})),
            "up/escape.txt",
            tar(
                false,
                out -> {
                  symlink(out, "up", "/tmp");
                  file(out, "up/escape.txt", new byte[] {1});
                }),
            "null",
            tar(
                false,
                out -> {
                  var device = new TarArchiveEntry("null", TarArchiveEntry.LF_CHR);
                  out.putArchiveEntry(device);
                  out.closeArchiveEntry();
                }));
    for (var c : cases.entrySet()) {
      var answer = putArchive(id, "in", HttpRequest.BodyPublishers.ofByteArray(c.getValue()));
      assertThat(answer.statusCode()).as(c.getKey()).isEqualTo(400);
      assertThat(answer.body())
          .contains("urn:sbx:problem:unsafe-archive")
          .contains("\"entry\":\"" + c.getKey() + "\"");
    }
    var places =
        "/escape.txt /tmp/escape.txt /workspace/escape.txt /workspace/in/escape.txt"
            + " /workspace/in/tmp/escape.txt /workspace/in/up/escape.txt";
    assertThat(api.bash(id, "ls -d " + places + " 2>/dev/null").text("stdout")).isEmpty();
    assertThat(Path.of("/tmp/escape.txt")).doesNotExist();
    var garbage = putArchive(id, "in", HttpRequest.BodyPublishers.ofString("not a tar"));
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("urn:sbx:problem:invalid-archive");
  }

  private interface Entries {
    void write(TarArchiveOutputStream out) throws java.io.IOException;
  }

  private static byte[] tar(boolean gzip, Entries entries) throws java.io.IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    java.io.OutputStream sink = gzip ? new java.util.zip.GZIPOutputStream(bytes) : bytes;
    try (var out = new TarArchiveOutputStream(sink)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      entries.write(out);
    }
    return bytes.toByteArray();
  }

  private static void dir(TarArchiveOutputStream out, String name) throws java.io.IOException {
    out.putArchiveEntry(new TarArchiveEntry(name, TarArchiveEntry.LF_DIR));
    out.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream out, String name, byte[] data)
      throws java.io.IOException {
    var entry = new TarArchiveEntry(name, true); // as given, a leading / included
    entry.setSize(data.length);
    out.putArchiveEntry(entry);
    out.write(data);
    out.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream out, String name, String target)
      throws java.io.IOException {
    var entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    entry.setLinkName(target);
    out.putArchiveEntry(entry);
    out.closeArchiveEntry();
  }

  @Test
  void sbxCpShouldCopyAFolderBothWays(@TempDir Path local) throws Exception {
    var id = api.createSandbox();
    var cli = new Cli(api);
    var tree = Files.createDirectories(local.resolve("tree/a/b"));
    Files.write(tree.resolve("data.bin"), random(1 << 20));
    Files.writeString(local.resolve("tree/top.txt"), "top\n");
    Files.createSymbolicLink(tree.resolve("link"), Path.of("data.bin"));

    var up = cli.run("cp", local.resolve("tree").toString(), id + ":copied");
    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(
            api.bash(id, "cd /workspace/copied && find . | sort && readlink a/b/link")
                .text("stdout"))
        .isEqualTo(".\n./a\n./a/b\n./a/b/data.bin\n./a/b/link\n./top.txt\ndata.bin\n");

    var back = Files.createDirectory(local.resolve("back"));
    var down = cli.run("cp", id + ":copied", back.toString());
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(Files.readAllBytes(back.resolve("copied/a/b/data.bin")))
        .isEqualTo(Files.readAllBytes(tree.resolve("data.bin")));
    assertThat(Files.readSymbolicLink(back.resolve("copied/a/b/link")))
        .isEqualTo(Path.of("data.bin"));
    assertThat(Files.readString(back.resolve("copied/top.txt"))).isEqualTo("top\n");
  }

  private HttpResponse<String> putContent(String id, String path, HttpRequest.BodyPublisher body)
      throws Exception {
    return http.send(content(id, path).PUT(body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> putArchive(String id, String folder, HttpRequest.BodyPublisher body)
      throws Exception {
    return http.send(
        api.request("/sandboxes/" + id + "/files/archive?path=" + folder).PUT(body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> get(String id, String path) throws Exception {
    return http.send(content(id, path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest.Builder content(String id, String path) {
    return api.request(
        "/sandboxes/"
            + id
            + "/files/content?path="
            + URLEncoder.encode(path, StandardCharsets.UTF_8));
  }

  private static byte[] random(int size) {
    var bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(java.io.InputStream in) throws Exception {
    var digest = MessageDigest.getInstance("SHA-256");
    try (in) {
      var buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
