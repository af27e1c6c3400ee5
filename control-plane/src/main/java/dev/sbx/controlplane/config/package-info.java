/**
 * The configuration: the {@code SANDBOX_*} keys, the {@code SANDBOX_CONFIG} file, start-up checks.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.config;

import org.jspecify.annotations.NullMarked;
