package dev.sbx.cli.output;

import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns under UPPERCASE headers with no borders, as kubectl prints them. */
public final class Table {

  private static final String GAP = "   ";

  private final List<String[]> rows = new ArrayList<>();

  public Table(String... headers) {
    rows.add(headers);
  }

  public Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  public void print(Printer out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      var line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        // Padding the last column would only leave trailing blanks.
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length())).append(GAP);
        }
      }
      out.line(line.toString());
    }
  }
}
