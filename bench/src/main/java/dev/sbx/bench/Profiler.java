package dev.sbx.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Records a load with JFR ({@code settings=profile}) in the control plane, through jcmd. */
final class Profiler {

  /** A load to record. */
  interface Load {
    void run() throws Exception;
  }

  private final Jvm controlPlane;
  private final Path tmp;

  Profiler(Jvm controlPlane, Path tmp) {
    this.controlPlane = controlPlane;
    this.tmp = tmp;
  }

  Path record(String name, Load load) throws Exception {
    var file = tmp.resolve(name + ".jfr");
    Files.deleteIfExists(file);
    var recording = "name=sbx-bench-" + name;
    controlPlane.jcmd("JFR.start", recording, "settings=profile", "filename=" + file);
    try {
      load.run();
    } finally {
      controlPlane.jcmd("JFR.stop", recording);
    }
    return file;
  }
}
