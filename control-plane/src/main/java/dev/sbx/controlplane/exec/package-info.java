/**
 * Execs: requests, their status and output, and the per-sandbox event log subscribers read.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.exec;

import org.jspecify.annotations.NullMarked;
