/**
 * Sandboxes on this machine, isolated with bubblewrap: the only package that starts processes.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.runtime.local;

import org.jspecify.annotations.NullMarked;
