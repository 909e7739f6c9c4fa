package org.mqttvpn.tools.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mqttvpn.host.topic.Topics;

/**
 * One topic prefix rule on both sides: the Java host (and toolkit gen, which calls the same
 * check) and the C core (here through the virtual device's --topic-prefix, which calls
 * mqttvpn_topic_prefix_problem) accept and refuse exactly the same prefixes: every ASCII
 * character in a prefix, the length limit, '$', '/', wildcards, a non-ASCII character.
 */
class TopicPrefixRuleTest {
    @Test
    void theCCoreAndTheJavaHostAcceptExactlyTheSamePrefixes() throws Exception {
        List<String> prefixes = new ArrayList<>(List.of("mqttip", "home/vpn", "/mqttip", "x$", "$SYS", "$", "vpn/", "/",
                "a//b", "+", "#", "a+b", "p".repeat(63), "p".repeat(64), "p".repeat(65), "caf\u00e9", "\u00a0x"));
        for (char c = 1; c < 128; c++) {
            prefixes.add("a" + c + "b");
            prefixes.add(c + "b");
            prefixes.add("a" + c);
        }
        String sim = SimBinary.locate().toString();
        List<String> differ = new ArrayList<>();
        int accepted = 0;
        for (String prefix : prefixes) {
            boolean java = javaAccepts(prefix);
            boolean c = cAccepts(sim, prefix);
            accepted += java ? 1 : 0;
            if (java != c) {
                differ.add(String.format("%s: Java %s, C %s", escaped(prefix), java ? "accepts" : "refuses",
                        c ? "accepts" : "refuses"));
            }
        }
        assertThat(differ).as("prefixes judged differently").isEmpty();
        assertThat(accepted).as("some prefixes pass at all").isGreaterThan(90);
    }

    private static boolean javaAccepts(String prefix) {
        try {
            Topics.validPrefix(prefix);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The device checks its options in order: with a good prefix, the next complaint is the missing --broker. */
    private static boolean cAccepts(String sim, String prefix) throws Exception {
        Process p = new ProcessBuilder(sim, "--topic-prefix", prefix).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        if (out.contains("--topic-prefix:")) {
            return false;
        }
        assertThat(out).as("the next check after the prefix").contains("--broker: missing");
        return true;
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            b.append(c < ' ' || c >= 127 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('\'').toString();
    }
}
