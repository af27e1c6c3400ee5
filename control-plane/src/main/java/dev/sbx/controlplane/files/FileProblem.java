package dev.sbx.controlplane.files;

import dev.sbx.controlplane.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A file operation the sandbox refused, with the problem type a client can act on. */
final class FileProblem extends ErrorResponseException {

  static final String FILE_NOT_FOUND = "file-not-found";
  static final String PERMISSION_DENIED = "permission-denied";
  static final String NOT_A_DIRECTORY = "not-a-directory";
  static final String IS_A_DIRECTORY = "is-a-directory";
  static final String DIRECTORY_NOT_EMPTY = "directory-not-empty";
  static final String FILE_EXISTS = "file-exists";
  static final String INSUFFICIENT_STORAGE = "insufficient-storage";
  static final String TRANSFER_FAILED = "transfer-failed";
  static final String NOT_IMPLEMENTED = "not-implemented";

  FileProblem(HttpStatus status, String slug, String title, String detail, String path) {
    super(status, Problems.of(status, slug, title, detail), null);
    getBody().setProperty("path", path);
  }

  static FileProblem notFound(String path) {
    return new FileProblem(
        HttpStatus.NOT_FOUND, FILE_NOT_FOUND, "File not found", path + " does not exist", path);
  }
}
