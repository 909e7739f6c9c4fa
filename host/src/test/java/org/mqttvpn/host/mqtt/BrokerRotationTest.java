package org.mqttvpn.host.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which broker the link tries next: in order, at random, after a failure, a loss, a return home. */
class BrokerRotationTest {
    private static BrokerRotation inOrder(int count) {
        return new BrokerRotation(count, BrokerOrder.IN_ORDER, new SplittableRandom(1));
    }

    @Test
    void startsAtTheHomeBrokerAndFailsOverInListOrder() {
        BrokerRotation r = inOrder(3);
        assertThat(r.current()).isZero();
        assertThat(r.current()).as("at home").isZero();
        assertThat(r.failed()).isFalse();
        assertThat(r.current()).isEqualTo(1);
        assertThat(r.failed()).isFalse();
        assertThat(r.current()).isEqualTo(2);
    }

    @Test
    void aRoundIsOverOnlyWhenEveryBrokerFailed() {
        BrokerRotation r = inOrder(3);
        assertThat(r.failed()).isFalse();
        assertThat(r.failed()).isFalse();
        assertThat(r.failed()).as("third failure of three brokers").isTrue();
        assertThat(r.current()).isZero();
        assertThat(r.failed()).as("a new round starts").isFalse();
    }

    @Test
    void oneBrokerBacksOffAfterEveryFailureAsBefore() {
        BrokerRotation r = inOrder(1);
        assertThat(r.failed()).isTrue();
        assertThat(r.failed()).isTrue();
        r.lost();
        assertThat(r.current()).isZero();
    }

    @Test
    void aLostConnectionMovesToTheNextBrokerAndStartsANewRound() {
        BrokerRotation r = inOrder(3);
        r.failed(); // 0 failed
        r.connected(); // on 1
        r.lost();
        assertThat(r.current()).isEqualTo(2);
        assertThat(r.failed()).isFalse(); // 2 failed: 0 to go
        assertThat(r.current()).isZero();
        assertThat(r.failed()).isFalse(); // 0 failed: 1 to go
        assertThat(r.failed()).as("all three failed since the loss").isTrue();
    }

    @Test
    void aSuccessForgetsTheFailuresBeforeIt() {
        BrokerRotation r = inOrder(2);
        r.failed();
        r.connected();
        r.lost();
        assertThat(r.failed()).isFalse();
        assertThat(r.failed()).isTrue();
    }

    @Test
    void goingHomeMakesTheFirstBrokerCurrentAndStartsARound() {
        BrokerRotation r = inOrder(3);
        r.failed();
        r.failed();
        r.connected(); // on 2
        assertThat(r.current()).as("at home").isNotZero();
        r.goHome();
        assertThat(r.current()).isZero();
        assertThat(r.current()).as("at home").isZero();
        assertThat(r.failed()).isFalse();
        assertThat(r.current()).isEqualTo(1);
    }

    @Test
    void randomOrderTriesEveryBrokerOncePerRound() {
        BrokerRotation r = new BrokerRotation(4, BrokerOrder.RANDOM, new SplittableRandom(7));
        for (int round = 0; round < 50; round++) {
            List<Integer> tried = new ArrayList<>();
            boolean over = false;
            while (!over) {
                tried.add(r.current());
                over = r.failed();
            }
            assertThat(tried).containsExactlyInAnyOrder(0, 1, 2, 3);
        }
    }

    @Test
    void randomOrderVariesBetweenRoundsAndNodes() {
        List<Integer> firsts = new ArrayList<>();
        for (int seed = 0; seed < 40; seed++) {
            firsts.add(new BrokerRotation(3, BrokerOrder.RANDOM, new SplittableRandom(seed)).current());
        }
        assertThat(firsts).contains(0, 1, 2);
        BrokerRotation r = new BrokerRotation(3, BrokerOrder.RANDOM, new SplittableRandom(3));
        List<List<Integer>> rounds = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            List<Integer> tried = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tried.add(r.current());
                r.failed();
            }
            rounds.add(tried);
        }
        assertThat(rounds.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void aNewRandomRoundDoesNotStartWithTheBrokerJustTried() {
        BrokerRotation r = new BrokerRotation(3, BrokerOrder.RANDOM, new SplittableRandom(11));
        for (int i = 0; i < 300; i++) {
            int before = r.current();
            r.failed();
            assertThat(r.current()).isNotEqualTo(before);
        }
    }

    @Test
    void needsABroker() {
        assertThatThrownBy(() -> inOrder(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void probeIdsDifferFromTheNodesIdAndStayWithinTheLimit() {
        assertThat(ClientIds.probe("MQTT_VPN_me")).isEqualTo("MQTT_VPN_me_r");
        String longest = ClientIds.random();
        assertThat(longest).hasSize(23);
        assertThat(ClientIds.probe(longest)).hasSize(23).isNotEqualTo(longest).startsWith(longest.substring(0, 21));
        assertThat(ClientIds.valid(ClientIds.probe(longest))).isNotNull();
    }
}
