package dev.sbx.controlplane.runtime.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stops the class's fabric8 mock server before fabric8's own extension does, through {@link
 * MockCluster#destroy}, which lets the mock's own shutdown timeout pass (see there). Declared after
 * {@code @EnableKubernetesMockClient}, so JUnit runs it first; fabric8's second shutdown then finds
 * the server stopped and returns.
 */
public final class MockServerTeardown implements AfterAllCallback {

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (var field : context.getRequiredTestClass().getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && KubernetesMockServer.class.isAssignableFrom(field.getType())) {
        field.setAccessible(true);
        if (field.get(null) instanceof KubernetesMockServer server) {
          MockCluster.destroy(server);
        }
      }
    }
  }
}
