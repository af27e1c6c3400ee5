package dev.sbx.controlplane.egress;

import io.netty.bootstrap.Bootstrap;
import java.time.Clock;

/**
 * What every connection's handlers share.
 *
 * @param rules decides attempts
 * @param policies finds a sandbox's policy
 * @param resolver runs name and policy lookups off the event loop
 * @param audit keeps the last attempts of each sandbox
 * @param metrics counts attempts and bytes
 * @param slots caps each sandbox's connections
 * @param settings limits and timeouts
 * @param upstream connects to hosts (its group and channel type set; a handler is added per use)
 * @param clock stamps attempts
 */
record ProxyContext(
    EgressRules rules,
    PolicySource policies,
    Resolver resolver,
    EgressAudit audit,
    EgressMetrics metrics,
    ConnectionSlots slots,
    EgressSettings settings,
    Bootstrap upstream,
    Clock clock) {}
