package dev.sbx.controlplane.mcp;

import static dev.sbx.controlplane.mcp.Schemas.array;
import static dev.sbx.controlplane.mcp.Schemas.bool;
import static dev.sbx.controlplane.mcp.Schemas.integer;
import static dev.sbx.controlplane.mcp.Schemas.nullableString;
import static dev.sbx.controlplane.mcp.Schemas.oneOf;
import static dev.sbx.controlplane.mcp.Schemas.properties;
import static dev.sbx.controlplane.mcp.Schemas.string;

import dev.sbx.controlplane.files.FileEntry;
import dev.sbx.controlplane.files.FileService;
import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.sandbox.SandboxService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** write_file, read_file and list_files, as REST's {@code /files}: helpers run in the sandbox. */
@Component
class FileTools {

  static final int DEFAULT_LENGTH = 100_000;
  static final int MAX_LENGTH = 1_000_000;
  static final int MAX_ENTRIES = 1000;

  private final FileService files;
  private final SandboxService sandboxes;

  FileTools(FileService files, SandboxService sandboxes) {
    this.files = files;
    this.sandboxes = sandboxes;
  }

  List<SandboxTool> tools() {
    var path = string("Path in the sandbox: absolute, or relative to /workspace.");
    return List.of(
        SandboxTool.of(
            "write_file",
            "Write a file",
            """
            Writes a file in a sandbox, replacing it if it exists; parent folders are made. \
            content is text (encoding utf-8, the default) or base64 for binary bytes (encoding \
            base64). The file is written whole or not at all. A call's body is limited to 1 MiB, \
            so content is at most about 700 KB of base64 or 1 MB of text; write larger files in \
            parts with shell commands, or through the REST API.""",
            Schemas.input(
                properties(
                    "sandbox_id", string("The sandbox's id."),
                    "path", path,
                    "content", string("The file's content, as encoding says."),
                    "encoding", encoding(),
                    "mode", string("Permission bits in octal, e.g. 0755. Default 0644.")),
                "sandbox_id",
                "path",
                "content"),
            Schemas.object(
                properties(
                    "path", string("The absolute path written."),
                    "size", integer("Bytes written.", 0),
                    "sha256", string("SHA-256 of the bytes written, in hex."),
                    "created", bool("False when it replaced a file.")),
                "path",
                "size",
                "sha256",
                "created"),
            SandboxTool.changes(true, true),
            this::write),
        SandboxTool.of(
            "read_file",
            "Read a file",
            """
            Reads a file in a sandbox: length bytes (default 100000, at most 1000000) from offset \
            (default 0). Returns content, next_offset and eof; read on from next_offset for the \
            rest of a large file. content is UTF-8 text, or base64 when the bytes are not UTF-8 \
            or encoding base64 was asked for (see the encoding in the result).""",
            Schemas.input(
                properties(
                    "sandbox_id", string("The sandbox's id."),
                    "path", path,
                    "offset", integer("Byte to start at. Default 0.", 0),
                    "length", integer("Bytes to read at most. Default 100000.", 1),
                    "encoding", encoding()),
                "sandbox_id",
                "path"),
            Schemas.object(
                properties(
                    "path", string("The absolute path read."),
                    "size", integer("The file's size in bytes.", 0),
                    "offset", integer("Where content starts.", 0),
                    "next_offset", integer("Where to read on from.", 0),
                    "eof", bool("True when content reaches the end of the file."),
                    "content", string("The bytes, as encoding says."),
                    "encoding", oneOf("How content is written.", "utf-8", "base64")),
                "path",
                "size",
                "offset",
                "next_offset",
                "eof",
                "content",
                "encoding"),
            SandboxTool.readOnly(),
            this::read),
        SandboxTool.of(
            "list_files",
            "List files",
            """
            Lists a folder in a sandbox (default /workspace): each entry's name, path, type \
            (file, dir, symlink, other), size, mode, mtime, and a symlink's target. With \
            recursive, everything below it. At most 1000 entries are returned; truncated says \
            when there were more (list a subfolder, or use find through run_command).""",
            Schemas.input(
                properties(
                    "sandbox_id", string("The sandbox's id."),
                    "path", string("Folder (or file) to list. Default /workspace."),
                    "recursive", bool("List everything below the folder. Default false.")),
                "sandbox_id"),
            Schemas.object(
                properties(
                    "path", string("The absolute path listed."),
                    "entries", array(entry(), "What it holds."),
                    "truncated", bool("True when there were more than 1000 entries.")),
                "path",
                "entries",
                "truncated"),
            SandboxTool.readOnly(),
            this::list));
  }

  private static Map<String, Object> encoding() {
    return oneOf("utf-8 (text, the default) or base64 (binary).", "utf-8", "base64");
  }

  private static Map<String, Object> entry() {
    return Schemas.object(
        properties(
            "name", string("Its name."),
            "path", string("Its absolute path."),
            "type", oneOf("What it is.", "file", "dir", "symlink", "other"),
            "size", integer("Size in bytes.", 0),
            "mode", string("Permission bits in octal."),
            "mtime", string("Last modified (RFC 3339)."),
            "target", nullableString("Where a symlink points.")),
        "name",
        "path",
        "type",
        "size",
        "mode",
        "mtime");
  }

  private SandboxTool.Outcome write(SandboxTool.Call call) throws IOException {
    var args = call.arguments();
    var sandboxId = sandboxes.existingId(args.requiredString("sandbox_id"));
    var path = FileService.resolve(args.requiredString("path"));
    var content = args.string("content");
    if (content == null) {
      throw new InvalidRequestException("content", "is required (it may be empty)");
    }
    byte[] bytes;
    if (args.choice("encoding", OutputText.UTF_8, List.of("utf-8", "base64")).equals("base64")) {
      try {
        bytes = Base64.getDecoder().decode(content);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("content", "is not valid base64: " + e.getMessage());
      }
    } else {
      bytes = content.getBytes(StandardCharsets.UTF_8);
    }
    var mode = FileService.mode(args.string("mode"));
    var written =
        files.write(sandboxId, path, mode, false, new ByteArrayInputStream(bytes), bytes.length);
    var fields = new LinkedHashMap<String, Object>();
    fields.put("path", written.path());
    fields.put("size", written.size());
    fields.put("sha256", written.sha256());
    fields.put("created", written.created());
    return SandboxTool.Outcome.ok(fields);
  }

  private SandboxTool.Outcome read(SandboxTool.Call call) throws IOException {
    var args = call.arguments();
    var sandboxId = sandboxes.existingId(args.requiredString("sandbox_id"));
    var path = FileService.resolve(args.requiredString("path"));
    long offset = args.integer("offset", 0, 0, Long.MAX_VALUE);
    int length = (int) args.integer("length", DEFAULT_LENGTH, 1, MAX_LENGTH);
    boolean base64 =
        args.choice("encoding", OutputText.UTF_8, List.of("utf-8", "base64")).equals("base64");
    var found = files.find(sandboxId, path);
    long from = Math.min(offset, found.size());
    long count = Math.min(length, found.size() - from);
    var out = new ByteArrayOutputStream((int) count);
    if (count > 0) {
      files.read(found, sandboxId, from, count, out);
    }
    var bytes = out.toByteArray();
    var decoded =
        base64
            ? new OutputText.Decoded(
                Base64.getEncoder().encodeToString(bytes), OutputText.BASE64, bytes.length)
            : OutputText.decode(bytes);
    long next = from + decoded.length();
    var fields = new LinkedHashMap<String, Object>();
    fields.put("path", path);
    fields.put("size", found.size());
    fields.put("offset", from);
    fields.put("next_offset", next);
    fields.put("eof", next >= found.size());
    fields.put("content", decoded.text());
    fields.put("encoding", decoded.encoding());
    return SandboxTool.Outcome.ok(fields);
  }

  private SandboxTool.Outcome list(SandboxTool.Call call) throws IOException {
    var args = call.arguments();
    var sandboxId = sandboxes.existingId(args.requiredString("sandbox_id"));
    var given = args.string("path");
    var path = FileService.resolve(given == null ? "/workspace" : given);
    var entries = FileEntry.parse(files.list(sandboxId, path, args.bool("recursive", false)));
    var shown = entries.stream().limit(MAX_ENTRIES).map(FileTools::fields).toList();
    var fields = new LinkedHashMap<String, Object>();
    fields.put("path", path);
    fields.put("entries", shown);
    fields.put("truncated", entries.size() > MAX_ENTRIES);
    return SandboxTool.Outcome.ok(fields);
  }

  private static Map<String, Object> fields(FileEntry entry) {
    var fields = new LinkedHashMap<String, Object>();
    fields.put("name", entry.name());
    fields.put("path", entry.path());
    fields.put("type", entry.type());
    fields.put("size", entry.size());
    fields.put("mode", entry.mode());
    fields.put("mtime", entry.mtime().toString());
    fields.put("target", entry.target());
    return fields;
  }
}
