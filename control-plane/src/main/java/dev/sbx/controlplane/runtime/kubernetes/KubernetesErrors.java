package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Turns fabric8's errors into the API's, so nothing above this package knows fabric8. */
final class KubernetesErrors {

  private KubernetesErrors() {}

  static RuntimeException translate(KubernetesClientException e, String doing) {
    int code = e.getCode();
    if (code == 422 || code == 400) {
      return new InvalidRequestException("sandbox", "Kubernetes refused it: " + message(e));
    }
    if (code == 401 || code == 403) {
      // Our credentials' fault, not the caller's: it needs an operator, so it is loud.
      return new IllegalStateException(
          "the control plane is not allowed to " + doing + ": " + message(e), e);
    }
    return new RuntimeUnavailableException(
        "the Kubernetes API could not " + doing + ": " + message(e), e);
  }

  private static String message(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    var cause = e.getCause();
    return cause != null ? cause.toString() : String.valueOf(e.getMessage());
  }
}
