/**
 * The control plane: a REST and WebSocket service that runs disposable sandboxes.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane;

import org.jspecify.annotations.NullMarked;
