/**
 * The WebSocket endpoints: subscriber streams and the sidecar's ingest.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.stream;

import org.jspecify.annotations.NullMarked;
