package dev.sbx.controlplane.stream;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How stream subscribers are served, bound from the {@code sandbox.stream-subscriber-queue} and
 * {@code sandbox.stream-ping-interval} properties (see config.ConfigKey for names and defaults).
 *
 * @param streamSubscriberQueue events a subscriber to every exec may fall behind before it is
 *     closed
 * @param streamPingInterval how often every subscriber is pinged
 */
@Validated
@ConfigurationProperties("sandbox")
record StreamProperties(
    @Positive int streamSubscriberQueue, @NotNull Duration streamPingInterval) {}
