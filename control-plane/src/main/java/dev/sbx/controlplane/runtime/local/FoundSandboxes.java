package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.InterruptedExec;
import dev.sbx.controlplane.runtime.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandboxes a previous run left in the state folder, started again at start-up: their disks
 * mounted, their host uids claimed again, their limits kept, and the execs they were running
 * reported, since those processes are gone.
 */
final class FoundSandboxes {

  private static final Logger logger = LoggerFactory.getLogger(FoundSandboxes.class);
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final StateFolder state;
  private final SandboxFiles files;
  private final LocalSandboxContext shared;
  private final Resources configured;

  FoundSandboxes(
      StateFolder state, SandboxFiles files, LocalSandboxContext shared, Resources configured) {
    this.state = state;
    this.files = files;
    this.shared = shared;
    this.configured = configured;
  }

  /**
   * Starts again every sandbox found in the state folder, into {@code sandboxes}, and adds the
   * execs they were running to {@code interrupted}.
   */
  void start(Map<String, LocalSandbox> sandboxes, List<InterruptedExec> interrupted) {
    var disks = new HashSet<String>();
    for (var found : files.findAll(state)) {
      var folder = state.sandbox(found.id());
      if (folder.isSpare()) {
        // A spare of the last run no create took: nobody knows it, its disk and cgroup go below.
        LocalRuntime.deleteQuietly(folder);
        continue;
      }
      if (!mountDisk(folder, found.id(), disks)) {
        continue;
      }
      var metadata = ownUser(folder, found.withLimitsOr(configured));
      if (metadata != found) {
        saveQuietly(metadata); // made before limits or uids: it keeps the ones it gets now
      }
      for (var request : folder.leftoverRequests()) {
        if (!request.getFileName().toString().startsWith(EgressLink.EXEC_ID + ".")) {
          interrupted.add(interruptedExec(metadata.id(), request));
        }
      }
      var sandbox = new LocalSandbox(metadata, folder, shared);
      sandboxes.put(metadata.id(), sandbox);
      try {
        files.refreshInit(folder);
        sandbox.start();
        logger.info("found sandbox {} in {}; started it again", metadata.id(), state.root());
      } catch (IOException e) {
        logger.warn("found sandbox {} but could not start it: {}", metadata.id(), e.getMessage());
      }
    }
    shared.cgroups().removeAllBut(sandboxes.keySet());
    if (shared.disks() != null) {
      shared.disks().removeAllBut(disks);
      if (configured.diskBytes() != null) {
        shared.disks().keepSpares(configured.diskBytes());
      }
    }
  }

  /**
   * Makes a found sandbox's files reachable again: its disk mounted, or, in a sandbox made before
   * disks existed, its folders moved to where they are now. False when they cannot be: the sandbox
   * is left alone (and kept on disk) rather than started without them.
   */
  private boolean mountDisk(SandboxFolder folder, String id, Set<String> disks) {
    try {
      if (folder.moveOldLayout()) {
        logger.info("sandbox {}: moved its files to {}", id, folder.data());
      }
      var disk = folder.diskId();
      if (disk != null) {
        disks.add(disk);
        if (shared.disks() == null) {
          throw new IOException("its files are on a disk this control plane cannot mount");
        }
        shared.disks().mount(disk);
      }
      folder.createLayout();
      return true;
    } catch (IOException e) {
      logger.error("found sandbox {} but cannot reach its files: {}", id, e.getMessage());
      return false;
    }
  }

  private static InterruptedExec interruptedExec(String sandboxId, Path request) {
    var name = request.getFileName().toString();
    var execId = name.substring(0, name.length() - ".req".length());
    // The sandbox could write this file: read it without following a link, and only so much.
    try (var in = Files.newInputStream(request, LinkOption.NOFOLLOW_LINKS)) {
      return new InterruptedExec(
          sandboxId,
          execId,
          ExecRequestFile.command(in.readNBytes(MAX_REQUEST_BYTES)),
          Files.getLastModifiedTime(request).toInstant());
    } catch (IOException e) {
      return new InterruptedExec(sandboxId, execId, List.of(), Instant.EPOCH);
    }
  }

  /**
   * A found sandbox's own host uid, claimed again; or a new one, with its files handed over to it,
   * when it had none (made when sandboxes shared one) or another control plane's took it.
   */
  private SandboxMetadata ownUser(SandboxFolder folder, SandboxMetadata metadata) {
    var uids = shared.uids();
    if (uids == null) {
      return metadata;
    }
    try {
      var user = metadata.user();
      if (user != null && uids.range().contains(user.uid()) && uids.reclaim(user, metadata.id())) {
        return metadata;
      }
      var own = uids.allocate(metadata.id());
      SandboxFiles.handOverAll(folder, own);
      logger.info("sandbox {} runs as host uid {} from now on", metadata.id(), own.uid());
      return metadata.runningAs(own);
    } catch (IOException e) {
      logger.warn(
          "sandbox {}: cannot give it a host uid of its own: {}", metadata.id(), e.toString());
      return metadata;
    }
  }

  private void saveQuietly(SandboxMetadata metadata) {
    try {
      files.save(state.sandbox(metadata.id()), metadata);
    } catch (IOException e) {
      logger.warn("could not record the limits of sandbox {}: {}", metadata.id(), e.toString());
    }
  }
}
