package dev.sbx.controlplane.sandbox;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The {@code resources} of a create: limits at or below the configured ones; those left out are the
 * configured ones. Quantities are written as Kubernetes writes them, as a string or a number.
 *
 * @param cpuLimit cores: {@code "1"}, {@code "500m"}, {@code 0.5}
 * @param memLimit memory, page cache included: {@code "512Mi"}, {@code "1Gi"}, or bytes
 * @param pidsLimit processes and threads at once
 * @param diskLimit what the sandbox's writable folders may hold: {@code "2Gi"}, or bytes
 */
public record ResourcesRequest(
    @Schema(type = "string", example = "500m") @Nullable JsonNode cpuLimit,
    @Schema(type = "string", example = "512Mi") @Nullable JsonNode memLimit,
    @Nullable Long pidsLimit,
    @Schema(type = "string", example = "2Gi") @Nullable JsonNode diskLimit) {}
