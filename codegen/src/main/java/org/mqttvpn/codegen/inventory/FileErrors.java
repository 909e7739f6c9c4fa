package org.mqttvpn.codegen.inventory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong with a file, in words for a message: Java's own message for a denied or
 * missing file is only its path, which says nothing once the message already names the file.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** Why: "permission denied", "no such file or directory", or the system's own reason. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof NotDirectoryException ? "not a directory"
                : e instanceof FileAlreadyExistsException ? "it already exists"
                : e instanceof FileSystemException ? e.getClass().getSimpleName()
                : String.valueOf(e.getMessage());
    }

    /** The file and why, like {@code /srv/out (permission denied)}; only the reason when no file is known. */
    public static String describe(IOException e) {
        if (!(e instanceof FileSystemException f) || f.getFile() == null) {
            return String.valueOf(e.getMessage());
        }
        return f.getFile() + " (" + reason(e) + ")";
    }
}
