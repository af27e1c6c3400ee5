package dev.sbx.controlplane;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between the control plane's packages point down, from the edge to the leaves:
 *
 * <pre>
 *   (application)                       the entry point and its pre-flight check
 *   web, stream, egress, files, mcp     HTTP, WebSocket, sandbox-egress, file and MCP edges
 *   exec                                execs, their events and status
 *   peers                               which replica owns which sandbox
 *   sandbox                             sandboxes and their ids
 *   metrics                             counters, gauges, health
 *   runtime                             the seam: what a sandbox is
 *   runtime.local, runtime.kubernetes   where it runs; they know nothing of each other
 *   config                              the configuration
 *   problem                             the errors every layer may throw
 * </pre>
 *
 * A class may use its own layer and the layers below it, never one above.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sbx.controlplane");

  @Test
  void dependenciesShouldPointDown() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("Application")
        .definedBy("dev.sbx.controlplane")
        .layer("Web")
        .definedBy("..controlplane.web..")
        .layer("Stream")
        .definedBy("..controlplane.stream..")
        .layer("Egress")
        .definedBy("..controlplane.egress..")
        .layer("Files")
        .definedBy("..controlplane.files..")
        .layer("Mcp")
        .definedBy("..controlplane.mcp..")
        .layer("Exec")
        .definedBy("..controlplane.exec..")
        .layer("Peers")
        .definedBy("..controlplane.peers..")
        .layer("Sandbox")
        .definedBy("..controlplane.sandbox..")
        .layer("Metrics")
        .definedBy("..controlplane.metrics..")
        .layer("Runtime")
        .definedBy("dev.sbx.controlplane.runtime")
        .layer("LocalRuntime")
        .definedBy("..controlplane.runtime.local..")
        .layer("KubernetesRuntime")
        .definedBy("..controlplane.runtime.kubernetes..")
        .layer("Config")
        .definedBy("..controlplane.config..")
        .layer("Problem")
        .definedBy("..controlplane.problem..")
        .whereLayer("Application")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Web")
        .mayOnlyBeAccessedByLayers("Application")
        .whereLayer("Stream")
        .mayOnlyBeAccessedByLayers("Application")
        .whereLayer("Egress")
        .mayOnlyBeAccessedByLayers("Application")
        .whereLayer("Files")
        .mayOnlyBeAccessedByLayers("Application", "Mcp")
        .whereLayer("Mcp")
        .mayOnlyBeAccessedByLayers("Application")
        .whereLayer("Exec")
        .mayOnlyBeAccessedByLayers("Application", "Web", "Stream", "Mcp")
        .whereLayer("Peers")
        .mayOnlyBeAccessedByLayers("Application", "Web", "Exec")
        .whereLayer("Sandbox")
        .mayOnlyBeAccessedByLayers("Application", "Web", "Stream", "Exec", "Egress", "Mcp")
        .whereLayer("Metrics")
        .mayOnlyBeAccessedByLayers("Application", "Web", "Stream", "Exec", "Egress", "Sandbox")
        .whereLayer("LocalRuntime")
        .mayOnlyBeAccessedByLayers("Application")
        .whereLayer("KubernetesRuntime")
        .mayOnlyBeAccessedByLayers("Application")
        .whereLayer("Config")
        .mayNotAccessAnyLayer()
        .check(CLASSES);
  }

  /**
   * Features read their settings from their own {@code @ConfigurationProperties} records, bound by
   * Spring; the loaded map of every key is for the start-up check alone.
   */
  @Test
  void onlyTheStartUpCheckShouldReadTheWholeConfiguration() {
    noClasses()
        .that()
        .resideOutsideOfPackages("..controlplane.config..")
        .and()
        .doNotHaveFullyQualifiedName("dev.sbx.controlplane.StartupCheck")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.sbx.controlplane.config.SandboxConfig")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.sbx.controlplane.config.ConfigLoader")
        .check(CLASSES);
  }

  @Test
  void packagesShouldHaveNoCycles() {
    slices().matching("dev.sbx.controlplane.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
