package dev.sbx.controlplane.runtime;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The egress proxy as a runtime sees it: it listens on a unix socket per sandbox, and a connection
 * that arrives on a sandbox's socket is that sandbox's.
 */
public interface EgressChannels {

  /** Accepts the sandbox's connections on a socket at this path (replacing any stale file). */
  void listen(String sandboxId, Path socket) throws IOException;

  /** Stops accepting them; open connections end by themselves. */
  void close(String sandboxId);
}
