package org.mqttvpn.tools.build;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds external programs on the PATH of a given environment (not necessarily this process's). */
public final class ToolLocator {
    private final Map<String, String> env;

    public ToolLocator(Map<String, String> env) {
        this.env = env;
    }

    /** The first executable file called {@code name} in the PATH directories. */
    public Optional<Path> onPath(String name) {
        String path = env.get("PATH");
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** idf.py: on PATH (after export.sh), else in $IDF_PATH/tools. */
    public Optional<Path> idfPy() {
        Optional<Path> p = onPath(IdfPy.TOOL);
        if (p.isPresent()) {
            return p;
        }
        String idfPath = env.get("IDF_PATH");
        if (idfPath != null && !idfPath.isEmpty()) {
            Path candidate = Path.of(idfPath, "tools", IdfPy.TOOL);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
