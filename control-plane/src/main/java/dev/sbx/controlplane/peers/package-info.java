/**
 * Several control-plane replicas: which replica owns which sandbox, and which replicas are alive.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.peers;

import org.jspecify.annotations.NullMarked;
