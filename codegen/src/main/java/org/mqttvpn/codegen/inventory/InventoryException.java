package org.mqttvpn.codegen.inventory;

import java.util.List;
import java.util.stream.Collectors;

/** The inventory (or its state file) cannot be used; carries every problem found, in file order. */
public final class InventoryException extends RuntimeException {
    private final List<Problem> problems;

    public InventoryException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems is empty");
        }
        this.problems = List.copyOf(problems);
    }

    /** The one problem that stops reading a file (it cannot be read, or it is empty). */
    public static InventoryException of(Position where, String what, String fix) {
        return new InventoryException(List.of(new Problem(where, what, fix)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
