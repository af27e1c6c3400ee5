/**
 * The seam between what a sandbox is and where it runs.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.runtime;

import org.jspecify.annotations.NullMarked;
