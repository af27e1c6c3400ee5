package dev.sbx.bench;

import java.util.ArrayDeque;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.PrettyPrinter;

/**
 * The layout of the results files: two spaces per level, one object entry per line, {@code "name":
 * value}, and an array of plain values on one line ({@code [1, 2, 3]}) but one of objects or arrays
 * one item per line, so that sample lists stay short and nested results stay readable. One instance
 * per generator: it keeps the nesting.
 */
final class JsonLayout implements PrettyPrinter {

  private final ArrayDeque<Boolean> flatArrays = new ArrayDeque<>();
  private boolean nextFlat;
  private int depth;

  /** Says whether the array about to start holds plain values only. */
  void nextArrayFlat(boolean flat) {
    nextFlat = flat;
  }

  private void newLine(JsonGenerator g) {
    g.writeRaw('\n');
    g.writeRaw("  ".repeat(depth));
  }

  @Override
  public void writeRootValueSeparator(JsonGenerator g) {}

  @Override
  public void writeStartObject(JsonGenerator g) {
    g.writeRaw('{');
    depth++;
  }

  @Override
  public void beforeObjectEntries(JsonGenerator g) {
    newLine(g);
  }

  @Override
  public void writeObjectNameValueSeparator(JsonGenerator g) {
    g.writeRaw(": ");
  }

  @Override
  public void writeObjectEntrySeparator(JsonGenerator g) {
    g.writeRaw(',');
    newLine(g);
  }

  @Override
  public void writeEndObject(JsonGenerator g, int entries) {
    depth--;
    if (entries > 0) {
      newLine(g);
    }
    g.writeRaw('}');
  }

  @Override
  public void writeStartArray(JsonGenerator g) {
    flatArrays.push(nextFlat);
    g.writeRaw('[');
    if (!nextFlat) {
      depth++;
    }
    nextFlat = true;
  }

  @Override
  public void beforeArrayValues(JsonGenerator g) {
    if (!flatArrays.peek()) {
      newLine(g);
    }
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator g) {
    if (flatArrays.peek()) {
      g.writeRaw(", ");
    } else {
      g.writeRaw(',');
      newLine(g);
    }
  }

  @Override
  public void writeEndArray(JsonGenerator g, int values) {
    if (!flatArrays.pop()) {
      depth--;
      if (values > 0) {
        newLine(g);
      }
    }
    g.writeRaw(']');
  }
}
