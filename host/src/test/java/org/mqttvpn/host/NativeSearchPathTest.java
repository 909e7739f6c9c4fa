package org.mqttvpn.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import org.junit.jupiter.api.Test;

class NativeSearchPathTest {
    @Test
    void theUsualDirectoriesAreThoseThatExistWithThisMachinesMultiarchOne() {
        assertThat(NativeSearchPath.usualDirectories()).contains("/usr/lib")
                .anyMatch(d -> d.startsWith("/usr/lib/") && d.contains("-linux-"))
                .allSatisfy(d -> assertThat(new File(d)).isDirectory()).doesNotHaveDuplicates();
    }

    @Test
    void aValueTheUserSetStays() {
        String before = System.getProperty(NativeSearchPath.PROPERTY);
        try {
            System.setProperty(NativeSearchPath.PROPERTY, "/opt/mine");
            NativeSearchPath.withoutLdconfig();
            assertThat(System.getProperty(NativeSearchPath.PROPERTY)).isEqualTo("/opt/mine");
            System.clearProperty(NativeSearchPath.PROPERTY);
            NativeSearchPath.withoutLdconfig();
            assertThat(System.getProperty(NativeSearchPath.PROPERTY)).startsWith("/").contains("/usr/lib");
        } finally {
            if (before == null) {
                System.clearProperty(NativeSearchPath.PROPERTY);
            } else {
                System.setProperty(NativeSearchPath.PROPERTY, before);
            }
        }
    }
}
