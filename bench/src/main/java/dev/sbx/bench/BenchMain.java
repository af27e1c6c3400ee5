package dev.sbx.bench;

/** Entry point of the load driver that {@code dev/bench.sh} runs. */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    switch (options.command()) {
      case "run" -> new LocalSuite(options).run();
      case "report" ->
          Report.write(options.path("tmp"), options.path("out"), options.pathOrNull("notes"));
      case "digest" -> System.out.print(Json.write(JfrDigest.of(options.path("jfr"), 15)));
      default -> {
        System.err.println("unknown command " + options.command() + "\n" + Options.usage());
        System.exit(2);
      }
    }
  }
}
