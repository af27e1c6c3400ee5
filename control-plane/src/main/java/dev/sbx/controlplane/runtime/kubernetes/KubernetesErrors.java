package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.regex.Pattern;

/** Turns fabric8's errors into the API's, so nothing above this package knows fabric8. */
final class KubernetesErrors {

  private KubernetesErrors() {}

  // How the RBAC authorizer words a refusal ("User \"x\" cannot create resource \"pods\" in API
  // group..."); any other 403 on a write comes from admission: Pod Security, a
  // ValidatingAdmissionPolicy, a webhook.
  private static final Pattern RBAC_DENIAL = Pattern.compile("cannot [a-z]+ resource");

  static RuntimeException translate(KubernetesClientException e, String doing) {
    int code = e.getCode();
    if (code == 422 || code == 400) {
      return new InvalidRequestException("sandbox", "Kubernetes refused it: " + message(e));
    }
    if (code == 403 && admissionDenial(e)) {
      return new InvalidRequestException(
          "sandbox", "the cluster's admission control refused it: " + message(e));
    }
    if (code == 401 || code == 403) {
      // Our credentials' fault, not the caller's: it needs an operator, so it is loud.
      return new IllegalStateException(
          "the control plane is not allowed to " + doing + ": " + message(e), e);
    }
    return new RuntimeUnavailableException(
        "the Kubernetes API could not " + doing + ": " + message(e), e);
  }

  /** A 403 from an admission check, which refuses what was asked, not who asked. */
  static boolean admissionDenial(KubernetesClientException e) {
    return e.getCode() == 403 && !RBAC_DENIAL.matcher(message(e)).find();
  }

  /**
   * The ServiceAccount admission plugin's 403 for a namespace made a moment ago, before the
   * ServiceAccount controller gave it its {@code default} account; it clears by itself.
   */
  static boolean serviceAccountNotYetThere(KubernetesClientException e) {
    return e.getCode() == 403 && message(e).contains("error looking up service account");
  }

  static String message(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    var cause = e.getCause();
    return cause != null ? cause.toString() : String.valueOf(e.getMessage());
  }
}
