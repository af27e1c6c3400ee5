package dev.sbx.controlplane.runtime.kubernetes;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the Kubernetes runtime talks to the cluster and how its pods reach the egress proxy, bound
 * from the {@code sandbox.*} properties that the {@code SANDBOX_EXEC_READY_TIMEOUT}, {@code
 * SANDBOX_KUBERNETES_REQUEST_TIMEOUT} and {@code SANDBOX_EGRESS_PROXY_*} variables and file keys
 * become (see config.ConfigKey for names and defaults).
 *
 * @param execReadyTimeout how long an exec waits for its sandbox to become ready
 * @param kubernetesRequestTimeout the longest wait for one API call
 * @param egressProxyPort the proxy's port in the control plane's pods, or null for the default
 * @param egressProxyUrl what sandbox pods get as HTTP_PROXY and HTTPS_PROXY
 * @param egressProxyNamespace the namespace of the control plane's pods
 */
@Validated
@ConfigurationProperties("sandbox")
public record KubernetesProperties(
    @NotNull Duration execReadyTimeout,
    @NotNull Duration kubernetesRequestTimeout,
    @Nullable Integer egressProxyPort,
    @NotBlank String egressProxyUrl,
    @NotBlank String egressProxyNamespace) {}
