package dev.sbx.controlplane.files;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /sandboxes/{id}/files}: upload, download, list and delete, streamed both ways. */
@RestController
@RequestMapping("/sandboxes/{id}/files")
class FilesController {

  private static final Pattern RANGE = Pattern.compile("bytes=([0-9]{0,19})-([0-9]{0,19})");

  private final FileService files;

  FilesController(FileService files) {
    this.files = files;
  }

  /**
   * The body is the file's bytes, read as they come (no size limit; curl's {@code Expect:
   * 100-continue} is answered when the body is first read).
   */
  @PutMapping("/content")
  ResponseEntity<Map<String, Object>> put(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String path,
      @RequestParam(required = false) @Nullable String mode,
      @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false)
          @Nullable String ifNoneMatch,
      HttpServletRequest request)
      throws IOException {
    var target = FileService.resolve(path);
    boolean noClobber = "*".equals(ifNoneMatch == null ? null : ifNoneMatch.strip());
    var written =
        files.write(
            id,
            target,
            FileService.mode(mode),
            noClobber,
            request.getInputStream(),
            request.getContentLengthLong());
    var headers = new HttpHeaders();
    headers.set("Sbx-File-Size", Long.toString(written.size()));
    headers.set("Sbx-File-Sha256", written.sha256());
    if (!written.created()) {
      // 204 has no body; the size and digest are in the headers as for 201.
      return ResponseEntity.noContent().headers(headers).build();
    }
    return ResponseEntity.status(HttpStatus.CREATED)
        .headers(headers)
        .body(Map.of("path", written.path(), "size", written.size(), "sha256", written.sha256()));
  }

  /** The file's bytes with their length; a single {@code Range} gives 206. */
  @GetMapping("/content")
  void get(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String path,
      @RequestHeader(name = HttpHeaders.RANGE, required = false) @Nullable String range,
      HttpServletResponse response)
      throws IOException {
    var target = FileService.resolve(path);
    var found = files.find(id, target);
    long size = found.size();
    long from = 0;
    long count = size;
    response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    if (range != null) {
      var m = RANGE.matcher(range.strip());
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        if (m.group(1).isEmpty()) {
          long last = Long.parseLong(m.group(2));
          from = Math.max(0, size - last);
        } else {
          from = Long.parseLong(m.group(1));
        }
        long to =
            m.group(1).isEmpty() || m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
        to = Math.min(to, size - 1);
        if (from >= size || to < from) {
          response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
          throw new FileProblem(
              HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
              "range-not-satisfiable",
              "Range not satisfiable",
              "the file is " + size + " bytes long",
              target);
        }
        count = to - from + 1;
        response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
        response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + size);
      }
    }
    response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
    response.setContentLengthLong(count);
    files.read(found, id, from, count, response.getOutputStream());
  }

  /** A tar (gzip detected) extracted under {@code path}; see ArchiveCheck for what is refused. */
  @PutMapping("/archive")
  Map<String, Object> putArchive(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String path,
      HttpServletRequest request)
      throws IOException {
    var folder = FileService.resolve(path == null ? "/workspace" : path);
    var extracted = files.extract(id, folder, request.getInputStream());
    return Map.of(
        "path", extracted.path(), "entries", extracted.entries(), "bytes", extracted.bytes());
  }

  /** The folder as a tar, or a tar.gz when the client accepts application/gzip. */
  @GetMapping("/archive")
  void getArchive(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String path,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
      HttpServletResponse response)
      throws IOException {
    var folder = FileService.resolve(path == null ? "/workspace" : path);
    boolean gzip = accept != null && accept.contains("application/gzip");
    files.checkFolder(id, folder);
    response.setContentType(gzip ? "application/gzip" : "application/x-tar");
    var name = folder.equals("/") ? "root" : folder.substring(folder.lastIndexOf('/') + 1);
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION,
        "attachment; filename=\""
            + name.replaceAll("[^A-Za-z0-9._-]", "_")
            + (gzip ? ".tar.gz" : ".tar")
            + "\"");
    files.archive(id, folder, gzip, response.getOutputStream());
  }

  @GetMapping
  Map<String, Object> list(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String path,
      @RequestParam(defaultValue = "false") boolean recursive)
      throws IOException {
    var target = FileService.resolve(path == null ? "/workspace" : path);
    List<FileEntry> entries = FileEntry.parse(files.list(id, target, recursive));
    return Map.of("path", target, "entries", entries);
  }

  @DeleteMapping
  ResponseEntity<Void> delete(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String path,
      @RequestParam(defaultValue = "false") boolean recursive)
      throws IOException {
    files.delete(id, FileService.resolve(path), recursive);
    return ResponseEntity.noContent().build();
  }
}
