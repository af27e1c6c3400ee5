package dev.sbx.controlplane.exec;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How much of execs' output is kept, and where, bound from the {@code sandbox.stream-buffer*} and
 * {@code sandbox.stream-store-*} properties (see config.ConfigKey for names and defaults).
 *
 * @param streamBuffer events kept in memory per sandbox for replay
 * @param streamBufferBytes output bytes kept in memory per sandbox for replay
 * @param streamStoreBytes output bytes kept on disk per sandbox
 * @param streamStoreDir the folder for kept output, or null for the runtime's or a temporary one
 */
@Validated
@ConfigurationProperties("sandbox")
record EventLogProperties(
    @Positive int streamBuffer,
    @NotNull DataSize streamBufferBytes,
    @NotNull DataSize streamStoreBytes,
    @Nullable String streamStoreDir) {

  @Nullable Path storeDir() {
    return streamStoreDir == null ? null : Path.of(streamStoreDir);
  }
}
