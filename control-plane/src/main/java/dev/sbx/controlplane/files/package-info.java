/**
 * Files in and out of a sandbox: each operation is a helper run inside the sandbox, as its user, so
 * it sees exactly what the sandbox's commands see and nothing of the host.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.files;

import org.jspecify.annotations.NullMarked;
