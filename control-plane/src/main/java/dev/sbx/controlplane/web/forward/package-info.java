/**
 * Requests for a sandbox that another replica owns, passed on to it: HTTP with its body streaming
 * both ways, WebSocket connections as bytes both ways.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.web.forward;

import org.jspecify.annotations.NullMarked;
