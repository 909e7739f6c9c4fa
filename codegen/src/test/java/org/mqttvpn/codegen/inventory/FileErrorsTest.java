package org.mqttvpn.codegen.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Messages about files say why, not only which (Java's message for a denied file is its path). */
class FileErrorsTest {
    @Test
    void aDeniedFileIsSaidToBeDeniedNotOnlyNamed() {
        AccessDeniedException e = new AccessDeniedException("/srv/network.yaml");
        assertThat(e.getMessage()).isEqualTo("/srv/network.yaml");
        assertThat(FileErrors.reason(e)).isEqualTo("permission denied");
        assertThat(FileErrors.describe(e)).isEqualTo("/srv/network.yaml (permission denied)");
    }

    @Test
    void theSystemsOwnReasonWinsWhenThereIsOne() {
        FileSystemException e = new FileSystemException("/srv/out", null, "Read-only file system");
        assertThat(FileErrors.describe(e)).isEqualTo("/srv/out (Read-only file system)");
        assertThat(FileErrors.reason(new NoSuchFileException("x"))).isEqualTo("no such file or directory");
    }

    @Test
    void anErrorWithoutAFileKeepsItsMessage() {
        IOException e = new IOException("Is a directory");
        assertThat(FileErrors.reason(e)).isEqualTo("Is a directory");
        assertThat(FileErrors.describe(e)).isEqualTo("Is a directory");
    }
}
