package dev.sbx.cli.client;

import dev.sbx.cli.output.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem document as the control plane sends it.
 *
 * @param type stable URI naming the kind of problem, e.g. {@code urn:sbx:problem:sandbox-not-found}
 * @param title short summary that is the same for every problem of this type
 * @param status the HTTP status code
 * @param detail what went wrong this time
 * @param extras every other member, such as {@code error} or {@code sandbox_id}
 */
public record ApiProblem(
    String type, String title, int status, String detail, Map<String, Object> extras) {

  static ApiProblem parse(String json) {
    var members = new LinkedHashMap<>(Json.object(json));
    String type = Json.text(members.remove("type"));
    String title = Json.text(members.remove("title"));
    Object status = members.remove("status");
    String detail = Json.text(members.remove("detail"));
    return new ApiProblem(
        type, title, status instanceof Number ? ((Number) status).intValue() : 0, detail, members);
  }

  /** {@code <title>: <detail>}, falling back on the original API's {@code error} member. */
  String message() {
    String what = detail.isEmpty() ? Json.text(extras.get("error")) : detail;
    if (title.isEmpty()) {
      return what;
    }
    return what.isEmpty() ? title : title + ": " + what;
  }
}
