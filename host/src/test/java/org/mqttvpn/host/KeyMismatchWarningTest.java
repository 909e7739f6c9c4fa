package org.mqttvpn.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mqttvpn.host.codec.DropReason;

class KeyMismatchWarningTest {
    private static final String TOPIC = "mqttip/10.0.1.2";
    private long now = 1_000;
    private final List<String> warnings = new ArrayList<>();

    private KeyMismatchWarning warning(boolean encrypts) {
        return new KeyMismatchWarning(encrypts, () -> now, warnings::add);
    }

    @Test
    void theFirstAuthenticationFailureWarnsOnceNamingTheTopicAndTheLikelyCause() {
        KeyMismatchWarning w = warning(true);
        for (int i = 0; i < 1000; i++) {
            w.dropped(TOPIC, DropReason.AUTH_FAILED);
            now += TimeUnit.MILLISECONDS.toNanos(10);
        }
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains(TOPIC, "drop_auth_failed", "different key", "-k/--key-file")
                .doesNotContain("more such frames");
    }

    @Test
    void afterAMinuteTheNextFailureWarnsAgainCountingTheSuppressedOnes() {
        KeyMismatchWarning w = warning(true);
        w.dropped(TOPIC, DropReason.AUTH_FAILED);
        for (int i = 0; i < 41; i++) {
            now += TimeUnit.SECONDS.toNanos(1);
            w.dropped(TOPIC, DropReason.AUTH_FAILED);
        }
        assertThat(warnings).hasSize(1);
        now += KeyMismatchWarning.INTERVAL_NANOS - TimeUnit.SECONDS.toNanos(41) - 1;
        w.dropped(TOPIC, DropReason.AUTH_FAILED);
        assertThat(warnings).as("one nanosecond short of a minute").hasSize(1);
        now += 1;
        w.dropped(TOPIC, DropReason.AUTH_FAILED);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1)).contains("(42 more such frames since the last warning)");
        w.dropped(TOPIC, DropReason.AUTH_FAILED);
        assertThat(warnings).hasSize(2);
    }

    @Test
    void aNodeWithoutAKeyWarnsOfFramesThatAreNotIpAsFromASenderWithAKey() {
        KeyMismatchWarning w = warning(false);
        w.dropped(TOPIC, DropReason.NOT_IP);
        w.dropped(TOPIC, DropReason.NOT_IP);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains(TOPIC, "drop_not_ip", "this node has none");
    }

    @Test
    void otherDropsDoNotWarn() {
        KeyMismatchWarning keyed = warning(true);
        keyed.dropped(TOPIC, DropReason.TOO_SHORT);
        keyed.dropped(TOPIC, DropReason.TOO_LONG);
        keyed.dropped(TOPIC, DropReason.NOT_IP); // authenticated, so the key matched: a broken sender, not a key
        KeyMismatchWarning plain = warning(false);
        plain.dropped(TOPIC, DropReason.AUTH_FAILED);
        plain.dropped(TOPIC, DropReason.TOO_SHORT);
        assertThat(warnings).isEmpty();
    }

    @Test
    void theClockMayStartAnywhere() {
        now = Long.MAX_VALUE - 5; // nanoTime's origin is arbitrary and may wrap
        KeyMismatchWarning w = warning(true);
        w.dropped(TOPIC, DropReason.AUTH_FAILED);
        now += 10;
        w.dropped(TOPIC, DropReason.AUTH_FAILED);
        now += KeyMismatchWarning.INTERVAL_NANOS;
        w.dropped(TOPIC, DropReason.AUTH_FAILED);
        assertThat(warnings).hasSize(2);
    }
}
