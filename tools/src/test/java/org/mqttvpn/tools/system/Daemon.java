package org.mqttvpn.tools.system;

import java.io.IOException;
import java.util.Map;
import org.mqttvpn.tools.lab.CountersLine;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;

/** A `toolkit vpn` process in a lab namespace, and what it logged. */
final class Daemon {
    final NetworkLab.Node node;
    final LabProcess process;

    Daemon(NetworkLab.Node node, LabProcess process) {
        this.node = node;
        this.process = process;
    }

    Daemon awaitConnected() throws IOException, InterruptedException {
        process.awaitLog("connected to broker", 20_000);
        return this;
    }

    /** Stops with SIGTERM and returns the counters of its final log line. */
    Map<String, Long> stopAndReadCounters() throws IOException, InterruptedException {
        process.stop(10_000);
        return lastCounters();
    }

    Map<String, Long> lastCounters() throws IOException {
        Map<String, Long> counters = CountersLine.last(process.log());
        if (counters.isEmpty()) {
            throw new IOException("no counters line in the log of " + process.name() + ":\n" + process.log());
        }
        return counters;
    }
}
