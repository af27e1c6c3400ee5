/**
 * The problems the API answers with (RFC 9457): their stable types, and the exceptions every layer
 * may throw. A leaf: it knows no other package of ours, so that errors are domain facts mapped to
 * HTTP at the edge, not an upward import.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.problem;

import org.jspecify.annotations.NullMarked;
