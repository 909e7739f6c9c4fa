package org.mqttvpn.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RssSamplerTest {
    @Test
    void vmRssIsReadFromTheStatusText() {
        assertThat(RssSampler.parseVmRss("Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t   48128 kB\nRssAnon:\t 1 kB\n")).isEqualTo(48128);
        assertThat(RssSampler.parseVmRss("Name:\tzombie\nState:\tZ (zombie)\n")).isZero();
    }

    @Test
    void theLargestResidentSetOfAProcessIsSampled() throws Exception {
        long self = ProcessHandle.current().pid();
        RssSampler sampler = new RssSampler(self);
        Thread.sleep(150);
        // at least what /proc says now, less a margin for what the collector gave back meanwhile
        assertThat(sampler.stopMiB()).isGreaterThan(1.0).isGreaterThanOrEqualTo(RssSampler.rssKiB(self) / 1024.0 * 0.5);
    }
}
