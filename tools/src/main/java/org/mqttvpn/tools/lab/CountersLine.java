package org.mqttvpn.tools.lab;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the daemon's "counters k=v k=v ..." log line. */
public final class CountersLine {
    private static final Pattern LINE = Pattern.compile("counters ((?:\\w+=\\d+ ?)+)\\s*$", Pattern.MULTILINE);

    private CountersLine() {
    }

    /** The last counters line in the log, or an empty map. */
    public static Map<String, Long> last(String log) {
        Matcher m = LINE.matcher(log);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        if (last != null) {
            for (String kv : last.trim().split(" ")) {
                String[] p = kv.split("=");
                counters.put(p[0], Long.parseLong(p[1]));
            }
        }
        return counters;
    }
}
