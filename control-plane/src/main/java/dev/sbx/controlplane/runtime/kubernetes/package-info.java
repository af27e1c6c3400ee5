/**
 * Sandboxes as Kubernetes pods, one namespace each: the only package that knows fabric8.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.runtime.kubernetes;

import org.jspecify.annotations.NullMarked;
