/**
 * Prometheus metrics and the runtime's health.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.metrics;

import org.jspecify.annotations.NullMarked;
