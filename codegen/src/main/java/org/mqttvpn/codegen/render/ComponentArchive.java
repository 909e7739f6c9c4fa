package org.mqttvpn.codegen.render;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The packaged mqtt_vpn ESP-IDF component (mqtt_vpn-VERSION.zip, made by the firmware build),
 * copied into a generated project as {@code components/mqtt_vpn/}. ESP-IDF names a component
 * after its directory, so a project reaches it as "mqtt_vpn" only from a directory of that
 * name; a path to the repository's firmware/esp32-idf would make a component "esp32-idf".
 * The copy also makes the project self-contained. The component's examples are left out.
 */
final class ComponentArchive {
    static final String DIRECTORY = "components/mqtt_vpn/";
    private static final long MAX_BYTES = 16L << 20;

    /** The archive's files, paths relative to the component's directory, sorted by path. */
    private final List<RenderedFile> files;

    private ComponentArchive(List<RenderedFile> files) {
        this.files = files;
    }

    /** The component's files below {@code <project>/components/mqtt_vpn/}; the contents are shared, not copied. */
    List<RenderedFile> placedIn(String project) {
        return files.stream().map(f -> new RenderedFile(project + "/" + DIRECTORY + f.path(), f.content(), false, false))
                .toList();
    }

    /** Reads and checks the archive; once per gen run, however many esp32-idf projects include it. */
    static ComponentArchive read(Path archive) {
        if (archive == null) {
            throw new GenerationException("esp32-idf projects include the packaged mqtt_vpn component, and none was"
                    + " found: build it (mvn package, or make -C firmware package) or pass --component mqtt_vpn-VERSION.zip");
        }
        List<RenderedFile> files = new ArrayList<>();
        boolean header = false;
        long total = 0;
        try (InputStream in = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName();
                if (e.isDirectory() || name.startsWith("examples/")) {
                    continue;
                }
                if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
                    throw new GenerationException("--component " + archive + ": entry '" + name + "' leaves the component's directory");
                }
                byte[] content = zip.readAllBytes();
                total += content.length;
                if (total > MAX_BYTES) {
                    throw new GenerationException("--component " + archive + " holds more than 16 MB: not the mqtt_vpn component");
                }
                header |= name.equals("include/mqtt_vpn.h");
                files.add(new RenderedFile(name, content, false, false));
            }
        } catch (IOException e) {
            throw new GenerationException("--component " + archive + ": cannot read it as a zip (" + e.getMessage() + ")");
        }
        if (!header) {
            throw new GenerationException("--component " + archive + " has no include/mqtt_vpn.h: pass the mqtt_vpn-VERSION.zip"
                    + " that the firmware build writes to firmware/esp32-idf/target/");
        }
        files.sort(Comparator.comparing(RenderedFile::path));
        return new ComponentArchive(List.copyOf(files));
    }
}
