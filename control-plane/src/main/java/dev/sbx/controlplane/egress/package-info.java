/**
 * Egress: the proxy every connection out of a sandbox goes through, the rules that decide it on the
 * addresses the proxy resolved, the audit of each sandbox's last attempts and {@code GET
 * /sandboxes/{id}/egress}. An edge, like web and stream: it takes connections from sandboxes, asks
 * the runtime who calls and what that sandbox may reach, and is told when a sandbox is deleted.
 *
 * <p>Types here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sbx.controlplane.egress;

import org.jspecify.annotations.NullMarked;
