/**
 * The HTTP edge: problem responses, the bearer token, request ids and limits.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.web;

import org.jspecify.annotations.NullMarked;
