package org.mqttvpn.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuietMachineTest {
    @Test
    void theCpuLineGivesTotalAndIdlePlusIowaitWithoutGuestTime() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] t = QuietMachine.parseCpuLine("cpu  100 5 50 800 20 3 2 0 40 0");
        assertThat(t).containsExactly(980, 820);
    }

    @Test
    void anotherLineIsRefused() {
        assertThatThrownBy(() -> QuietMachine.parseCpuLine("cpu0 1 2 3 4 5 6 7 8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMachineThatStaysBusyIsReportedAfterTheWait() throws Exception {
        // busy here: this test's own thread spins for the whole window
        Thread spinner = new Thread(() -> {
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        });
        int cpus = Runtime.getRuntime().availableProcessors();
        spinner.start();
        String note = new QuietMachine(0).await();
        spinner.join();
        if (cpus <= 2) { // one spinning core is 50 % or more of the machine: busy
            assertThat(note).startsWith("machine busy: ").contains("% of CPU time in use", "load ");
        }
    }
}
