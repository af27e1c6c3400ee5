package dev.sbx.controlplane.runtime.kubernetes;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One request to the API server as RBAC sees it: the attributes the API server's request-info
 * resolver derives from method and path (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go).
 *
 * @param verb get, list, watch, create, update, patch, delete or deletecollection; for a
 *     non-resource request the lower-case HTTP method
 * @param group the API group, "" for the core group
 * @param resource the resource, or the path of a non-resource request
 * @param subresource e.g. exec or status, "" when none
 * @param namespace the request's namespace, or null when it is cluster-wide
 */
record ApiCall(
    String verb, String group, String resource, String subresource, @Nullable String namespace) {

  // As in the API server: these are subresources of the namespace, not a resource inside it.
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  static ApiCall of(String method, URI uri) {
    var parts = parts(uri.getRawPath());
    boolean watch = query(uri).contains("watch=true") || query(uri).contains("watch=1");
    int start;
    String group;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      group = "";
      start = 2;
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      start = 3;
    } else {
      return nonResource(method, uri.getRawPath());
    }
    var rest = parts.subList(start, parts.size());
    if (rest.isEmpty()) {
      return nonResource(method, uri.getRawPath());
    }
    String namespace = null;
    if (rest.get(0).equals("namespaces") && rest.size() > 1) {
      namespace = rest.get(1);
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
        rest = rest.subList(2, rest.size());
      }
    }
    var resource = rest.get(0);
    var name = rest.size() > 1 ? rest.get(1) : null;
    var subresource = rest.size() > 2 ? rest.get(2) : "";
    return new ApiCall(verb(method, name != null, watch), group, resource, subresource, namespace);
  }

  private static ApiCall nonResource(String method, String path) {
    return new ApiCall(method.toLowerCase(Locale.ROOT), "", path, "", null);
  }

  boolean nonResource() {
    return resource.startsWith("/");
  }

  private static String verb(String method, boolean named, boolean watch) {
    return switch (method) {
      case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase(Locale.ROOT);
    };
  }

  private static List<String> parts(String path) {
    return Arrays.stream(path.split("/"))
        .filter(part -> !part.isEmpty())
        .map(part -> URLDecoder.decode(part, StandardCharsets.UTF_8))
        .toList();
  }

  private static String query(URI uri) {
    return uri.getRawQuery() == null ? "" : "&" + uri.getRawQuery() + "&";
  }

  @Override
  public String toString() {
    var what = subresource.isEmpty() ? resource : resource + "/" + subresource;
    var where = namespace == null ? "cluster-wide" : "in namespace " + namespace;
    return verb + " " + (group.isEmpty() ? "" : group + "/") + what + " " + where;
  }
}
