package dev.sbx.controlplane.runtime.local;

import dev.sbx.controlplane.runtime.EgressChannels;
import dev.sbx.controlplane.runtime.ExecOutcome;
import dev.sbx.controlplane.runtime.RuntimeUnavailableException;
import dev.sbx.controlplane.runtime.SandboxExistsException;
import dev.sbx.controlplane.runtime.SandboxSpec;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Makes one local sandbox, step by step, and undoes every step taken when a later one fails, so a
 * failed create leaves no folder, host uid, disk or cgroup behind.
 */
final class SandboxMaker {

  private final StateFolder state;
  private final SandboxFiles files;
  private final LocalSandboxContext shared;

  SandboxMaker(StateFolder state, SandboxFiles files, LocalSandboxContext shared) {
    this.state = state;
    this.files = files;
    this.shared = shared;
  }

  /**
   * Makes a sandbox's folder, host user, disk and cgroup, and starts its init.
   *
   * @param spare whether it is a warm pool's spare, which no create asked for yet
   * @param egress the egress proxy's channels, once the proxy runs
   */
  LocalSandbox start(SandboxSpec spec, boolean spare, @Nullable EgressChannels egress) {
    var folder = state.sandbox(spec.id());
    try {
      Files.createDirectory(folder.root());
      if (spare) {
        folder.markSpare();
      }
    } catch (FileAlreadyExistsException e) {
      throw new SandboxExistsException(spec.id());
    } catch (IOException e) {
      throw new RuntimeUnavailableException("cannot create " + folder.root() + ": " + e, e);
    }
    HostUser user;
    try {
      user = shared.uids() == null ? null : shared.uids().allocate(spec.id());
    } catch (IOException e) {
      LocalRuntime.deleteQuietly(folder);
      throw new RuntimeUnavailableException(
          "cannot create " + spec.id() + ": " + e.getMessage(), e);
    }
    var metadata =
        new SandboxMetadata(
            spec.id(),
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            spec.env(),
            spec.allowedHosts(),
            spec.disallowedHosts(),
            spec.network().value(),
            spec.resources(),
            user == null ? null : user.uid());
    var sandbox = new LocalSandbox(metadata, folder, shared);
    if (egress != null) {
      sandbox.useEgress(egress);
    }
    try {
      var limit = spec.resources().diskBytes();
      if (limit != null && shared.disks() != null) {
        folder.linkDisk(shared.disks().take(limit, SandboxFolder.DATA_FOLDERS, user));
      }
      files.prepare(folder, metadata);
      sandbox.start();
    } catch (IOException | RuntimeException e) {
      sandbox.stop(ExecOutcome.SANDBOX_STOPPED);
      sandbox.releaseCgroup();
      var disk = folder.diskId();
      if (disk != null) {
        shared.disks().delete(disk);
      }
      LocalRuntime.deleteQuietly(folder);
      if (user != null) {
        shared.uids().release(user, spec.id());
      }
      throw new RuntimeUnavailableException(
          "could not start sandbox " + spec.id() + ": " + e.getMessage(), e);
    }
    return sandbox;
  }
}
