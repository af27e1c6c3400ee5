/**
 * Sandboxes: create, get, list, delete, and their ids.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.sandbox;

import org.jspecify.annotations.NullMarked;
