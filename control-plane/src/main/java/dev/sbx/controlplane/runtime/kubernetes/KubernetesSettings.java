package dev.sbx.controlplane.runtime.kubernetes;

import dev.sbx.controlplane.runtime.SandboxDefaultsProperties;
import dev.sbx.controlplane.runtime.StreamModeProperties;

/**
 * Every setting the Kubernetes runtime is opened with, as Spring's binder read them.
 *
 * @param kubernetes API timeouts and the egress proxy's place
 * @param template what sandbox pods are made of
 * @param sandbox what every sandbox gets: env, limits, hosts
 * @param pool the warm pool's and the reaper's settings
 * @param stream whether pods get the stream sidecar, and its settings
 */
record KubernetesSettings(
    KubernetesProperties kubernetes,
    SandboxTemplateProperties template,
    SandboxDefaultsProperties sandbox,
    WarmPoolProperties pool,
    StreamModeProperties stream) {}
