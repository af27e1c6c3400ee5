package dev.sbx.controlplane.web;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The API's access settings, bound from {@code sandbox.api-token} ({@code SANDBOX_API_TOKEN}).
 *
 * @param apiToken the bearer token every request must carry, or null for none
 */
@ConfigurationProperties("sandbox")
record ApiProperties(@Nullable String apiToken) {}
