package org.mqttvpn.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every template for every platform and app, the host files and the virtual device's script,
 * rendered from inventories/full and compared byte for byte with golden/full/. After a
 * deliberate template change, regenerate the goldens with -Dgolden.update=true and review the
 * diff like code. The output's .gitignore is kept as dot-gitignore: as .gitignore it would make
 * git ignore the golden secret-bearing files it lists.
 */
class GoldenFilesTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/full");
    static final String DOT_GITIGNORE = "dot-gitignore";

    @TempDir
    Path tmp;

    @Test
    void everyGeneratedFileEqualsItsGoldenFile() throws IOException {
        Workspace w = Workspace.of(tmp, "full");
        w.gen();
        List<String> generated = files(w.out());
        if (Boolean.getBoolean("golden.update")) {
            OutputWriterHelper.replaceTree(w.out(), GOLDEN);
            Files.move(GOLDEN.resolve(".gitignore"), GOLDEN.resolve(DOT_GITIGNORE));
            // Comparing the output with the copy just made would prove nothing: report a skip, not a pass.
            Assumptions.abort("golden files rewritten from this run: review git diff " + GOLDEN
                    + ", then run again without -Dgolden.update");
        }
        assertThat(generated).as("files generated")
                .containsExactlyElementsOf(files(GOLDEN).stream().map(GoldenFilesTest::generatedName).sorted().toList());
        for (String f : generated) {
            Path golden = GOLDEN.resolve(f.equals(".gitignore") ? DOT_GITIGNORE : f);
            assertThat(Files.readString(w.out().resolve(f))).as(f).isEqualTo(Files.readString(golden));
        }
    }

    private static String generatedName(String goldenName) {
        return goldenName.equals(DOT_GITIGNORE) ? ".gitignore" : goldenName;
    }

    static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return new ArrayList<>(new TreeSet<>(walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString()).toList()));
        }
    }
}
