package dev.sbx.controlplane.runtime.local;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells sandboxes when their commands wrote output, through one inotify watch per sandbox's exec
 * folder, so output streams live without polling files.
 */
final class OutputWatcher implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(OutputWatcher.class);

  private final WatchService watchService;
  private final Map<WatchKey, LocalSandbox> sandboxes = new ConcurrentHashMap<>();
  private final Thread thread;

  OutputWatcher() throws IOException {
    watchService = FileSystems.getDefault().newWatchService();
    thread = new Thread(this::run, "sbx-output-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  WatchKey watch(Path execFolder, LocalSandbox sandbox) throws IOException {
    var key = execFolder.register(watchService, ENTRY_CREATE, ENTRY_MODIFY);
    sandboxes.put(key, sandbox);
    return key;
  }

  void unwatch(WatchKey key) {
    sandboxes.remove(key);
    key.cancel();
  }

  private void run() {
    try {
      while (true) {
        var key = watchService.take();
        var sandbox = sandboxes.get(key);
        for (var event : key.pollEvents()) {
          if (sandbox == null) {
            continue;
          }
          try {
            if (event.kind() == OVERFLOW) {
              sandbox.pumpAll();
            } else {
              sandbox.pump(event.context().toString());
            }
          } catch (RuntimeException e) {
            logger.error("could not deliver output of sandbox {}", sandbox.id(), e);
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // shutting down
    }
  }

  @Override
  public void close() throws IOException {
    watchService.close();
    thread.interrupt();
  }
}
