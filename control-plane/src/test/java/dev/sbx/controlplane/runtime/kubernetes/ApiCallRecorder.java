package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Holds every API call the control plane makes in a mock-server test against {@code
 * deploy/kind/rbac.yaml}, so a call without its permission fails the build here instead of
 * answering 403 in a cluster. A test class takes part with both
 *
 * <pre>
 * &#64;EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = ApiCallRecorder.class)
 * &#64;ExtendWith(ApiCallRecorder.class)
 * </pre>
 *
 * and {@code RbacCoverageTest} fails for a mock-server test class that lacks them.
 *
 * <p>The test and the runtime share one client, so each call is put down to whoever made it: the
 * innermost frame of our own code on the calling thread. A test's own calls (it plays the kubelet
 * and the cluster admin) are not the control plane's; calls with no frame of ours, made on
 * fabric8's threads (informers, the leader elector, retries), are counted as the control plane's.
 */
public final class ApiCallRecorder
    implements Consumer<KubernetesClientBuilder>, BeforeAllCallback, AfterAllCallback {

  private static final Set<ApiCall> controlPlaneCalls = ConcurrentHashMap.newKeySet();
  private static final Set<ApiCall> allControlPlaneCalls = ConcurrentHashMap.newKeySet();
  private static final String OUR_CODE = "dev.sbx.";
  private static final Map<String, Boolean> testClasses = new ConcurrentHashMap<>();
  private static final Map<HttpRequest, Boolean> testRequests =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static final Interceptor RECORDER =
      new Interceptor() {
        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
          // fabric8 retries (5xx, 429, I/O errors) on its own thread with the same request: the
          // first attempt, made where the caller is, decides for all.
          if (testRequests.computeIfAbsent(request, first -> madeByATest())) {
            return;
          }
          try {
            var uri = new URI(request.uri().toString());
            var call = ApiCall.of(request.method(), uri);
            controlPlaneCalls.add(call);
            allControlPlaneCalls.add(call);
          } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  @Override
  public void accept(KubernetesClientBuilder builder) {
    builder.withHttpClientBuilderConsumer(
        http -> http.addOrReplaceInterceptor("sbx-api-call-recorder", RECORDER));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    controlPlaneCalls.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    closeClients(context.getRequiredTestClass());
    var calls = new ArrayList<>(controlPlaneCalls);
    // For a reader who wants the list: every call the control plane made, per test class.
    var lines = calls.stream().map(call -> context.getDisplayName() + ": " + call).sorted();
    Files.write(
        Path.of("target", "api-calls.txt"),
        (Iterable<String>) lines::iterator,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    assertAllowed(calls);
  }

  /**
   * Closes the class's static clients, which this extension's afterAll does before fabric8's (it is
   * declared after it). fabric8's afterAll stops the mock server first and waits 10 s for its
   * connections to close, while a WebSocket the server closes may take up to Vert.x's closing
   * timeout (10 s by default) when its client is still open and not answering: an exec a test left
   * running is the likely cause of "Unable to close MockWebServer", now and then. Closed from the
   * client's side first, no connection is left for the server to wait for.
   */
  private static void closeClients(Class<?> testClass) {
    for (var field : testClass.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && KubernetesClient.class.isAssignableFrom(field.getType())) {
        try {
          field.setAccessible(true);
          if (field.get(null) instanceof KubernetesClient client) {
            client.close();
          }
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** The control plane's calls seen so far in this JVM, whichever test made them happen. */
  static Set<ApiCall> seen() {
    return Set.copyOf(allControlPlaneCalls);
  }

  static void assertAllowed(List<ApiCall> calls) {
    var rbac = RbacGrants.deployed();
    assertThat(calls.stream().filter(call -> !rbac.allows(call)).map(ApiCall::toString).sorted())
        .as(
            "API calls the control plane made that %s (%s) does not allow: give each its verb"
                + " there, or the call fails with 403 in a cluster",
            rbac, RbacGrants.DEPLOYED)
        .isEmpty();
  }

  private static boolean madeByATest() {
    for (var frame : Thread.currentThread().getStackTrace()) {
      var name = frame.getClassName();
      if (!name.startsWith(OUR_CODE) || name.startsWith(ApiCallRecorder.class.getName())) {
        continue;
      }
      return testCode(name);
    }
    return false;
  }

  private static boolean testCode(String className) {
    return testClasses.computeIfAbsent(
        className,
        name -> {
          try {
            var type = Class.forName(name, false, ApiCallRecorder.class.getClassLoader());
            var source = type.getProtectionDomain().getCodeSource();
            return source != null && source.getLocation().getPath().contains("/test-classes/");
          } catch (ClassNotFoundException e) {
            return false;
          }
        });
  }
}
