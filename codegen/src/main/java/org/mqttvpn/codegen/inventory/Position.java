package org.mqttvpn.codegen.inventory;

/** Where something is in an input file: 1-based line and column, as editors count them. */
public record Position(String file, int line, int column) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
        int c = file.compareTo(o.file);
        if (c != 0) {
            return c;
        }
        return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
