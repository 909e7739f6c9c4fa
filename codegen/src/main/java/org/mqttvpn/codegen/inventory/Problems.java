package org.mqttvpn.codegen.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem of an input instead of stopping at the first, so that one run
 * shows the user all there is to fix. Reported in file order.
 */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    public void add(Position where, String what, String fix) {
        list.add(new Problem(where, what, fix));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> sorted() {
        List<Problem> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparing(Problem::where));
        return List.copyOf(copy);
    }

    /** Throws when anything was added; returns otherwise. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new InventoryException(sorted());
        }
    }
}
