package org.mqttvpn.codegen.render;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Puts a {@link Generation} into the output directory so that no one ever sees it half
 * written: every file is first written into a staging directory next to the output (same
 * file system), then each node's directory (and the .gitignore) replaces the old one by a
 * rename. A failure while staging leaves the output untouched; a failure while renaming puts
 * back what was already moved. Secret files are created with mode 0600 from the start.
 * Directories of nodes not in the generation are left alone.
 */
public final class OutputWriter {
    /** Writes one staged file; tests substitute one that fails part-way. */
    interface FileSink {
        void write(Path file, RenderedFile content) throws IOException;
    }

    static final FileSink FILES = OutputWriter::writeFile;

    private OutputWriter() {
    }

    public static void write(Path outputDir, Generation generation) throws IOException {
        write(outputDir, generation, FILES);
    }

    static void write(Path outputDir, Generation generation, FileSink sink) throws IOException {
        Path out = outputDir.toAbsolutePath().normalize();
        Path parent = out.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + out.getFileName() + ".gen-");
        try {
            Path fresh = staging.resolve("new");
            Files.createDirectories(fresh);
            for (RenderedFile f : generation.allFiles()) {
                sink.write(fresh.resolve(f.path()), f);
            }
            Files.createDirectories(out);
            List<String> entries = new ArrayList<>();
            entries.add(generation.gitignore().path());
            generation.nodes().forEach(n -> entries.add(n.name()));
            if (!generation.bridges().isEmpty()) {
                entries.add(BridgeFiles.DIRECTORY);
            }
            swap(out, fresh, staging.resolve("old"), entries);
        } finally {
            deleteTree(staging);
        }
    }

    /** Moves each entry of fresh into out, the previous one aside into old; undoes all on failure. */
    private static void swap(Path out, Path fresh, Path old, List<String> entries) throws IOException {
        Files.createDirectories(old);
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            for (String entry : entries) {
                Path target = out.resolve(entry);
                Path aside = old.resolve(entry);
                if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    move(target, aside);
                    undo.push(() -> moveQuietly(aside, target));
                }
                move(fresh.resolve(entry), target);
                undo.push(() -> moveQuietly(target, fresh.resolve(entry)));
            }
        } catch (IOException | RuntimeException e) {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
            throw e;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void moveQuietly(Path from, Path to) {
        try {
            move(from, to);
        } catch (IOException e) {
            // best effort while undoing: the original failure is what gets reported
        }
    }

    private static void writeFile(Path file, RenderedFile f) throws IOException {
        Files.createDirectories(file.getParent());
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(
                f.secret() ? "rw-------" : f.executable() ? "rwxr-xr-x" : "rw-r--r--");
        try (SeekableByteChannel ch = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(mode))) {
            ByteBuffer b = ByteBuffer.wrap(f.content());
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("two generated files have the same path: " + f.path(), e);
        }
        // the umask may have taken bits away; executables must stay executable
        Files.setPosixFilePermissions(file, mode);
    }

    /**
     * Replaces one file whole: writes a temporary file beside it (mode 0600, as
     * {@link Files#createTempFile} makes it), then renames it over the file, so that a reader
     * sees the old content or the new, never a part.
     */
    public static void replaceFile(Path file, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes a file or a directory with everything below it; nothing when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
