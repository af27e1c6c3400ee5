package dev.sbx.controlplane.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sbx.controlplane.config.InvalidConfigException;
import dev.sbx.controlplane.problem.InvalidRequestException;
import dev.sbx.controlplane.runtime.SandboxSpec;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

class SandboxTemplatesTest {

  @Test
  void badConfiguredQuantityShouldStopStartUpNamingTheVariable() {
    for (var key :
        List.of(
            "SANDBOX_CPU_REQUEST",
            "SANDBOX_MEM_LIMIT",
            "SANDBOX_CACHE_PVC_SIZE",
            "SANDBOX_VOLUME_PVC_SIZE")) {
      assertThatThrownBy(() -> Templates.templates(Templates.config(key, "lots")))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining(key)
          .hasMessageContaining("lots");
    }
  }

  @Test
  void badConfiguredImageOrAccessModeShouldStopStartUp() {
    assertThatThrownBy(() -> Templates.templates(Templates.config("SANDBOX_IMAGE", "Not An Image")))
        .hasMessageContaining("SANDBOX_IMAGE");
    assertThatThrownBy(
            () ->
                Templates.templates(Templates.config("SANDBOX_CACHE_PVC_ACCESS_MODE", "sometimes")))
        .hasMessageContaining("SANDBOX_CACHE_PVC_ACCESS_MODE");
  }

  @Test
  void badRequestValuesShouldBe400NamingTheField() {
    var templates = Templates.templates(Templates.config());
    assertField(
        () ->
            templates.resolve(
                Templates.spec("sbx-a", new SandboxSpec.Storage(null, null, "big", null, null))),
        "cache_pvc_size");
    assertField(
        () ->
            templates.resolve(
                Templates.spec("sbx-a", new SandboxSpec.Storage(null, null, null, null, "often"))),
        "cache_pvc_access_mode");
    assertField(
        () ->
            templates.resolve(
                new SandboxSpec(
                    "sbx-a",
                    Map.of(),
                    "UPPER/case",
                    null,
                    List.of(),
                    List.of(),
                    SandboxSpec.Storage.DEFAULT,
                    true)),
        "image");
    assertField(
        () ->
            templates.resolve(
                Templates.spec(
                    "sbx-a", new SandboxSpec.Storage(null, "hostpath", null, null, null))),
        "cache_mode");
  }

  @Test
  void accessModeAliasesShouldBeExpanded() {
    var templates = Templates.templates(Templates.config());
    for (var alias :
        Map.of(
                "rwo",
                "ReadWriteOnce",
                "RWX",
                "ReadWriteMany",
                "rox",
                "ReadOnlyMany",
                "ReadWriteOnce",
                "ReadWriteOnce")
            .entrySet()) {
      var template =
          templates.resolve(
              Templates.spec(
                  "sbx-a", new SandboxSpec.Storage(null, "pvc", null, null, alias.getKey())));
      assertThat(template.cachePvcAccessMode()).isEqualTo(alias.getValue());
    }
  }

  @Test
  void imageReferencesOfTheUsualShapesShouldBeAccepted() {
    for (var image :
        List.of(
            "ubuntu:22.04",
            "sandbox-base:dev",
            "docker.io/library/python:3.12-slim",
            "localhost:5000/team/tool:v1.2.3",
            "ghcr.io/org/img@sha256:" + "a".repeat(64))) {
      assertThat(ImageReferences.valid(image)).as(image).isTrue();
    }
    for (var image : List.of("", "UPPER", "with space:1", "trailing/")) {
      assertThat(ImageReferences.valid(image)).as(image).isFalse();
    }
  }

  @Test
  void quantitiesShouldFollowKubernetesGrammar() {
    for (var q : List.of("1", "500m", "1.5", "2Gi", "10G", "1e3", ".5")) {
      assertThat(Quantities.valid(q)).as(q).isTrue();
    }
    for (var q : List.of("", "lots", "1 Gi", "-1", "1GB", "Gi")) {
      assertThat(Quantities.valid(q)).as(q).isFalse();
    }
  }

  private static void assertField(ThrowableAssert.ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.getBody().getProperties()).containsEntry("field", field));
  }
}
