package dev.sbx.sidecar;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The events folder. A watch tells of new execs and appended output as they happen; a full listing
 * now and then is the safety net, since inotify on some volumes misses events.
 */
final class EventsFolder implements AutoCloseable {

  private static final Pattern EXEC_FILE =
      Pattern.compile("([0-9a-f]{16})\\.(stdout|stderr|exit|state)");

  private final Path dir;
  private final Wakeup wakeup;
  private final WatchService watcher;
  private final Set<String> created = new LinkedHashSet<>();
  private boolean overflowed;

  EventsFolder(Path dir, Wakeup wakeup) throws IOException {
    this.dir = dir;
    this.wakeup = wakeup;
    Files.createDirectories(dir);
    watcher = dir.getFileSystem().newWatchService();
    dir.register(watcher, ENTRY_CREATE, ENTRY_MODIFY);
    var thread = new Thread(this::watch, "events-folder-watch");
    thread.setDaemon(true);
    thread.start();
  }

  Path dir() {
    return dir;
  }

  /** The execs whose stdout appeared since the last call. */
  synchronized List<String> takeCreated() {
    var ids = List.copyOf(created);
    created.clear();
    return ids;
  }

  /** Whether the watch lost events since the last call, so that only a listing can tell. */
  synchronized boolean takeOverflow() {
    boolean lost = overflowed;
    overflowed = false;
    return lost;
  }

  boolean hasExec(String id) {
    return Files.exists(dir.resolve(id + ".stdout"));
  }

  /** Lists the execs in the folder, and finishes clean-ups that were interrupted. */
  Set<String> scan() throws IOException {
    var ids = new TreeSet<String>();
    var states = new TreeSet<String>();
    try (var entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        var name = EXEC_FILE.matcher(entry.getFileName().toString());
        if (name.matches() && name.group(2).equals("stdout")) {
          ids.add(name.group(1));
        } else if (name.matches() && name.group(2).equals("state")) {
          states.add(name.group(1));
        }
      }
    }
    states.removeAll(ids);
    for (String id : states) {
      Log.info("exec %s: finishing an interrupted clean-up", id);
      ExecTail.deleteFiles(dir, id);
    }
    return ids;
  }

  @Override
  public void close() throws IOException {
    watcher.close();
  }

  private void watch() {
    try {
      while (true) {
        var key = watcher.take();
        boolean news = false;
        for (var event : key.pollEvents()) {
          news |= note(event);
        }
        key.reset();
        if (news) {
          wakeup.signal();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Closed: the sidecar is stopping.
    }
  }

  /**
   * Notes new execs and returns whether the streaming thread should look at its execs again: for a
   * change to an exec's output or exit, not for the state files it writes itself.
   */
  private synchronized boolean note(WatchEvent<?> event) {
    if (event.kind() == OVERFLOW) {
      overflowed = true;
      return true;
    }
    var name = EXEC_FILE.matcher(event.context().toString());
    if (!name.matches() || name.group(2).equals("state")) {
      return false;
    }
    if (name.group(2).equals("stdout")) {
      created.add(name.group(1));
    }
    return true;
  }
}
