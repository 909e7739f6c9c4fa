package org.mqttvpn.tools.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonJvmTest {
    @TempDir
    Path dir;

    @Test
    void theOptionsFileGivesTheDaemonsSettingsWithoutComments() {
        List<String> options = DaemonJvm.options();
        assertThat(options).contains("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1");
        assertThat(options).allSatisfy(o -> assertThat(o).startsWith("-").doesNotContain(" ", "#"));
    }

    @Test
    void theUploaderRunsWithTheQuickCompilerOnly() {
        assertThat(org.mqttvpn.tools.ota.UploaderJvm.options()).contains("-XX:TieredStopAtLevel=1")
                .allSatisfy(o -> assertThat(o).startsWith("-").doesNotContain(" ", "#"));
    }

    @Test
    void blankLinesAndCommentsAreSkipped() {
        assertThat(DaemonJvm.parse("# why\n\n  -Xmx1m  \n#-Xss1m\n-XX:+UseSerialGC")).containsExactly("-Xmx1m", "-XX:+UseSerialGC");
    }

    @Test
    void theArchiveIsUsedOnlyWhenItIsNextToTheJarAndNotOlder() throws Exception {
        Path jar = Files.writeString(dir.resolve("toolkit.jar"), "jar");
        String classPath = jar.toString();
        assertThat(DaemonJvm.archiveOption(classPath)).as("no archive").isEmpty();
        Path archive = Files.writeString(dir.resolve(DaemonJvm.ARCHIVE_NAME), "jsa");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(2_000_000));
        Files.setLastModifiedTime(archive, FileTime.fromMillis(1_000_000));
        assertThat(DaemonJvm.archiveOption(classPath)).as("archive older than the jar").isEmpty();
        Files.setLastModifiedTime(archive, FileTime.fromMillis(3_000_000));
        assertThat(DaemonJvm.archiveOption(classPath)).containsExactly("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
        assertThat(DaemonJvm.archiveOption(classPath + ":" + dir.resolve("other.jar"))).as("a longer class path").isEmpty();
        assertThat(DaemonJvm.archiveOption(dir.resolve("classes").toString())).as("a directory").isEmpty();
    }
}
