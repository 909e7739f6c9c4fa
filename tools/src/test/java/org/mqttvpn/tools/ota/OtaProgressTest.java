package org.mqttvpn.tools.ota;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What an upload shows where there is no terminal (logs, CI), and on one. */
class OtaProgressTest {
    @Test
    void withoutATerminalAPlainLineShowsProgressAtMostOncePerInterval() throws InterruptedException {
        StringWriter text = new StringWriter();
        OtaProgress p = new OtaProgress(false, new PrintWriter(text), System.out, TimeUnit.MILLISECONDS.toNanos(50));
        p.authenticated(true, new DeviceVersion("1.0.0", "a"));
        p.transferStarted(1000);
        p.sent(100); // too soon after the start: no line
        Thread.sleep(60);
        p.sent(250);
        p.sent(300); // too soon after the last line
        Thread.sleep(60);
        p.sent(1000); // done: the summary line of the command says it
        p.transferEnded();
        assertThat(text.toString().lines().toList()).hasSize(2);
        assertThat(text.toString()).startsWith("device before: version 1.0.0, slot a\n")
                .containsPattern("upload: 250 of 1000 bytes \\(25 %\\), [0-9]+\\.[0-9] KB/s\n");
    }

    @Test
    void whatTheDeviceRanIsShownForEveryKindOfReceiver() {
        StringWriter text = new StringWriter();
        OtaProgress p = new OtaProgress(false, new PrintWriter(text), System.out, 1);
        p.authenticated(false, null);
        p.authenticated(true, null);
        assertThat(text.toString()).isEqualTo("device before: does not report versions (not an mqttvpn receiver)\n"
                + "device before: unknown (no answer to the version query)\n");
    }

    @Test
    void onATerminalABarShowsTheRateAndNoPlainLines() {
        StringWriter text = new StringWriter();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        OtaProgress p = new OtaProgress(true, new PrintWriter(text), new PrintStream(terminal, true, StandardCharsets.UTF_8), 1);
        p.transferStarted(2048);
        p.sent(1024);
        p.sent(2048);
        p.transferEnded();
        assertThat(text.toString()).isEmpty();
        assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("upload").contains("100%").contains("2/2 KB")
                .contains("KB/s");
    }
}
