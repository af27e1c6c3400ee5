package dev.sbx.bench;

/**
 * The smallest Java program, started the way {@code bin/sbx} starts the CLI: what any JVM command
 * costs on this machine, so that {@code cli_exec_true_p50_ms} can be compared across machines.
 */
public final class JvmHello {

  private JvmHello() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
