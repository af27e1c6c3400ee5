package dev.sbx.controlplane.runtime.kubernetes;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * What the RBAC objects of {@code deploy/kind/rbac.yaml} let the control plane's ServiceAccount do,
 * evaluated the way the API server's RBAC authorizer does: a rule matches on verb, API group,
 * resource (with {@code /subresource}); a ClusterRole bound by a ClusterRoleBinding grants it in
 * every namespace, a Role bound by a RoleBinding only in its own.
 */
final class RbacGrants {

  static final Path DEPLOYED = Path.of("../deploy/kind/rbac.yaml");

  // What every authenticated identity may do through the default ClusterRoles system:discovery
  // and system:public-info-viewer, so no manifest of ours needs to grant it.
  private static final Set<String> PUBLIC_PATHS =
      Set.of("/version", "/version/", "/api", "/apis", "/healthz", "/livez", "/readyz");

  private static final Set<String> STREAMED = Set.of("exec", "attach", "portforward");

  private final String account;
  private final String accountNamespace;
  private final List<Grant> grants;

  private RbacGrants(String account, String accountNamespace, List<Grant> grants) {
    this.account = account;
    this.accountNamespace = accountNamespace;
    this.grants = grants;
  }

  /** The grants of the ServiceAccount {@code sbx-control-plane} in {@code sbx-system}. */
  static RbacGrants deployed() {
    try (var reader = Files.newBufferedReader(DEPLOYED)) {
      return of(reader, "sbx-control-plane", "sbx-system");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEPLOYED.toAbsolutePath(), e);
    }
  }

  static RbacGrants of(Reader manifests, String account, String accountNamespace) {
    var documents = new ArrayList<Map<String, Object>>();
    for (Object document : new Yaml().loadAll(manifests)) {
      if (document instanceof Map<?, ?> map) {
        documents.add(cast(map));
      }
    }
    var grants = new ArrayList<Grant>();
    for (var binding : documents) {
      var kind = binding.get("kind");
      if (!"ClusterRoleBinding".equals(kind) && !"RoleBinding".equals(kind)) {
        continue;
      }
      if (!bindsAccount(binding, account, accountNamespace)) {
        continue;
      }
      String scope = "RoleBinding".equals(kind) ? metadata(binding, "namespace") : null;
      Map<String, Object> roleRef = cast((Map<?, ?>) binding.get("roleRef"));
      for (var role : documents) {
        if (!Objects.equals(role.get("kind"), roleRef.get("kind"))
            || !Objects.equals(metadata(role, "name"), roleRef.get("name"))
            || ("Role".equals(role.get("kind"))
                && !Objects.equals(metadata(role, "namespace"), scope))) {
          continue;
        }
        for (var rule : list(role.get("rules"))) {
          grants.add(Grant.of(cast((Map<?, ?>) rule), scope));
        }
      }
    }
    return new RbacGrants(account, accountNamespace, grants);
  }

  boolean allows(ApiCall call) {
    if (call.nonResource()) {
      return PUBLIC_PATHS.contains(call.resource())
          || grants.stream().anyMatch(grant -> grant.allowsPath(call));
    }
    var allowed = grants.stream().anyMatch(grant -> grant.allows(call));
    if (allowed && STREAMED.contains(call.subresource()) && call.verb().equals("get")) {
      // A WebSocket exec is a GET; since Kubernetes 1.31 (AuthorizePodWebsocketUpgradeCreate-
      // Permission) the API server also checks create, as for the older POST upgrade.
      return allows(
          new ApiCall(
              "create", call.group(), call.resource(), call.subresource(), call.namespace()));
    }
    return allowed;
  }

  @Override
  public String toString() {
    return "the RBAC of ServiceAccount " + accountNamespace + "/" + account;
  }

  private static boolean bindsAccount(Map<String, Object> binding, String name, String namespace) {
    for (var subject : list(binding.get("subjects"))) {
      Map<String, Object> s = cast((Map<?, ?>) subject);
      if ("ServiceAccount".equals(s.get("kind"))
          && name.equals(s.get("name"))
          && namespace.equals(s.get("namespace"))) {
        return true;
      }
    }
    return false;
  }

  private static String metadata(Map<String, Object> object, String field) {
    Map<String, Object> metadata = cast((Map<?, ?>) object.get("metadata"));
    return (String) metadata.get(field);
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> list ? list : List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** One rule, and the namespace it holds in (null: every namespace). */
  private record Grant(
      List<?> verbs,
      List<?> groups,
      List<?> resources,
      List<?> resourceNames,
      List<?> paths,
      String scope) {

    static Grant of(Map<String, Object> rule, String scope) {
      return new Grant(
          list(rule.get("verbs")),
          list(rule.get("apiGroups")),
          list(rule.get("resources")),
          list(rule.get("resourceNames")),
          list(rule.get("nonResourceURLs")),
          scope);
    }

    boolean allows(ApiCall call) {
      var resource =
          call.subresource().isEmpty()
              ? call.resource()
              : call.resource() + "/" + call.subresource();
      return (scope == null || scope.equals(call.namespace()))
          // A rule with resourceNames never covers list, watch, create or deletecollection;
          // ours have none, and one added would need a closer look than this.
          && resourceNames.isEmpty()
          && (verbs.contains("*") || verbs.contains(call.verb()))
          && (groups.contains("*") || groups.contains(call.group()))
          && (resources.contains("*") || resources.contains(resource));
    }

    boolean allowsPath(ApiCall call) {
      return scope == null
          && (verbs.contains("*") || verbs.contains(call.verb()))
          && paths.contains(call.resource());
    }
  }
}
