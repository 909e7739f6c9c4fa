package org.mqttvpn.tools.system;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mqttvpn.tools.lab.LabProcess;
import org.mqttvpn.tools.lab.NetworkLab;

/**
 * Counts the frames a broker delivers on some topics while it runs: mosquitto_sub in the
 * lab's broker namespace, its debug output ("received PUBLISH (..., 'topic', ...)") read back.
 * A frame that reaches a broker twice, or goes round a loop of bridges, is counted each time.
 */
final class FrameCounter implements AutoCloseable {
    private static final Pattern PUBLISH = Pattern.compile("received PUBLISH \\([^']*'([^']+)'");
    private final LabProcess sub;

    private FrameCounter(LabProcess sub) {
        this.sub = sub;
    }

    /** Subscribes to {@code topics} at the lab's broker (port {@code port}) and returns once subscribed. */
    static FrameCounter start(NetworkLab lab, int port, String name, String... topics) throws IOException, InterruptedException {
        // stdbuf: mosquitto_sub buffers its output when it is not a terminal
        List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-d",
                "-F", "%t"));
        for (String t : topics) {
            cmd.addAll(List.of("-t", t));
        }
        LabProcess p = lab.start(lab.broker(), name, cmd);
        p.awaitLog("received SUBACK", 10_000);
        return new FrameCounter(p);
    }

    /** Stops the subscriber and returns the frames it got per topic (topics with none are absent). */
    Map<String, Integer> stop() throws InterruptedException {
        sub.stop(3000);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher m = PUBLISH.matcher(sub.log());
        while (m.find()) {
            counts.merge(m.group(1), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public void close() throws InterruptedException {
        sub.stop(3000);
    }
}
