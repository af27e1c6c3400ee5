package dev.sbx.controlplane.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What a sandbox sees of this machine: {@code /usr} and the top-level links into it, read-only, and
 * an allow-list of {@code /etc}. Nothing else: not {@code /home}, {@code /root}, {@code /var}, nor
 * secrets such as {@code /etc/shadow}.
 *
 * @param topLevel entries of {@code /} that lead into {@code /usr} (links) or hold libraries
 * @param etc names under {@code /etc} to show, read-only
 * @param etcView a copy of those, bound as a whole; null binds them one by one
 */
record HostSystem(List<TopLevel> topLevel, List<String> etc, @Nullable EtcView etcView) {

  HostSystem(List<TopLevel> topLevel, List<String> etc) {
    this(topLevel, etc, null);
  }

  /**
   * The same, with sandboxes' {@code /etc} from a copy in {@code stateRoot} when one can be made.
   */
  HostSystem withEtcView(Path stateRoot) {
    return new HostSystem(topLevel, etc, EtcView.open(stateRoot, etc));
  }

  /** One of /bin, /lib...: a symlink to recreate, or a folder to bind read-only. */
  record TopLevel(String path, String linkTarget) {}

  private static final List<String> TOP_LEVEL =
      List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  // What programs commonly need to start, resolve names, find certificates and set up a login
  // shell. Anything with credentials or host identity (shadow, ssh, sudoers, machine-id) stays out.
  private static final Set<String> ETC =
      Set.of(
          "alternatives",
          "bash.bashrc",
          "bash_completion",
          "bash_completion.d",
          "ca-certificates",
          "ca-certificates.conf",
          "crypto-policies",
          "debian_version",
          "gai.conf",
          "gitconfig",
          "host.conf",
          "inputrc",
          "ld.so.cache",
          "ld.so.conf",
          "ld.so.conf.d",
          "locale.alias",
          "locale.conf",
          "localtime",
          "lsb-release",
          "magic",
          "magic.mime",
          "mime.types",
          "nsswitch.conf",
          "os-release",
          "pki",
          "profile",
          "profile.d",
          "protocols",
          "resolv.conf",
          "rpc",
          "services",
          "ssl",
          "terminfo",
          "timezone",
          "vim");

  private static final String RESOLV_CONF = "resolv.conf";

  private static final List<String> ETC_PREFIXES = List.of("java-", "python3");

  /** Reads what this machine has. */
  static HostSystem detect() {
    var topLevel = new ArrayList<TopLevel>();
    for (var path : TOP_LEVEL) {
      var p = Path.of(path);
      try {
        if (Files.isSymbolicLink(p)) {
          topLevel.add(new TopLevel(path, Files.readSymbolicLink(p).toString()));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          topLevel.add(new TopLevel(path, null));
        }
      } catch (IOException e) {
        // An unreadable top-level entry is simply not shown in sandboxes.
      }
    }
    var etc = new TreeSet<String>();
    try (Stream<Path> entries = Files.list(Path.of("/etc"))) {
      entries
          .map(p -> p.getFileName().toString())
          .filter(name -> ETC.contains(name) || ETC_PREFIXES.stream().anyMatch(name::startsWith))
          .forEach(etc::add);
    } catch (IOException e) {
      // Without /etc the sandbox gets only what we generate (passwd, group, hosts).
    }
    return new HostSystem(List.copyOf(topLevel), List.copyOf(etc));
  }

  void addMounts(List<String> cmd) {
    cmd.addAll(List.of("--ro-bind", "/usr", "/usr"));
    for (var entry : topLevel) {
      if (entry.linkTarget() != null) {
        cmd.addAll(List.of("--symlink", entry.linkTarget(), entry.path()));
      } else {
        cmd.addAll(List.of("--ro-bind", entry.path(), entry.path()));
      }
    }
    if (etcView != null) {
      etcView.refreshIfStale();
      cmd.addAll(List.of("--ro-bind", etcView.dir().toString(), "/etc"));
      if (etc.contains(RESOLV_CONF)) {
        // Live, not the copy: a laptop's DNS servers change with its network.
        cmd.addAll(List.of("--ro-bind-try", "/etc/" + RESOLV_CONF, "/etc/" + RESOLV_CONF));
      }
      return;
    }
    for (var name : etc) {
      cmd.addAll(List.of("--ro-bind-try", "/etc/" + name, "/etc/" + name));
    }
  }
}
