package org.mqttvpn.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every template for every platform and app, the host files and the virtual device's script,
 * rendered from inventories/full and compared byte for byte with golden/full/. After a
 * deliberate template change, regenerate the goldens with -Dgolden.update=true and review the
 * diff like code.
 */
class GoldenFilesTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/full");

    @TempDir
    Path tmp;

    @Test
    void everyGeneratedFileEqualsItsGoldenFile() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        w.gen();
        List<String> generated = files(w.out());
        if (Boolean.getBoolean("golden.update")) {
            OutputWriterHelper.replaceTree(w.out(), GOLDEN);
        }
        assertThat(generated).as("files generated").containsExactlyElementsOf(files(GOLDEN));
        for (String f : generated) {
            assertThat(Files.readString(w.out().resolve(f))).as(f).isEqualTo(Files.readString(GOLDEN.resolve(f)));
        }
    }

    static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return new ArrayList<>(new TreeSet<>(walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString()).toList()));
        }
    }
}
