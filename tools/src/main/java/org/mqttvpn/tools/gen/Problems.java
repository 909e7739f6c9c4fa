package org.mqttvpn.tools.gen;

import org.mqttvpn.codegen.inventory.InventoryException;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;

/** Turns an inventory's problems into the one failure the command line reports (exit 2). */
public final class Problems {
    private Problems() {
    }

    /** For a command that would have written output: says that nothing was. */
    public static ToolkitException of(String file, InventoryException e) {
        return of(file, e, " (nothing was written)");
    }

    public static ToolkitException of(String file, InventoryException e, String note) {
        int n = e.problems().size();
        return new ToolkitException(ExitCode.USAGE, file + " has " + n + (n == 1 ? " problem" : " problems")
                + note + ":\n" + e.getMessage());
    }
}
