package org.mqttvpn.host.mqtt;

import java.util.random.RandomGenerator;

/**
 * Which broker to try next, without any I/O: the choice {@link BrokerLink} makes, apart so
 * that it can be tested alone. Brokers are indices into the list the node was given; index 0
 * is the home broker.
 *
 * <p>A round is one attempt at every broker. After a failure or a lost connection the link
 * moves straight on to the next broker of the round; only when a whole round has failed does
 * it wait (its capped backoff). In order, the round follows the list, starting after the
 * broker that was lost; at random, each round is a new random order of all the brokers.
 */
final class BrokerRotation {
    private final BrokerOrder order;
    private final RandomGenerator random;
    /** The order of this round: order[position] is the broker tried at that step. */
    private final int[] sequence;
    private int position;
    /** Attempts that failed since the last successful connect or the last completed round. */
    private int failures;

    BrokerRotation(int count, BrokerOrder order, RandomGenerator random) {
        if (count < 1) {
            throw new IllegalArgumentException("count < 1: " + count);
        }
        this.order = order;
        this.random = random;
        this.sequence = new int[count];
        for (int i = 0; i < count; i++) {
            sequence[i] = i;
        }
        if (order == BrokerOrder.RANDOM) {
            shuffle(-1);
        }
    }

    /** The broker to try now. */
    int current() {
        return sequence[position];
    }

    /** The current broker answered: the next failure starts a new round. */
    void connected() {
        failures = 0;
    }

    /** The connection to the current broker was lost: the next broker is tried, at once. */
    void lost() {
        failures = 0;
        step();
    }

    /**
     * An attempt at the current broker failed: moves to the next one. Returns true when that
     * failure ended a round in which every broker failed (the caller then waits before the
     * next round); false when another broker of this round is still to be tried.
     */
    boolean failed() {
        failures++;
        boolean roundOver = failures >= sequence.length;
        if (roundOver) {
            failures = 0;
        }
        step();
        return roundOver;
    }

    /** Makes the home broker the current one (it answered again); a new round starts there. */
    void goHome() {
        failures = 0;
        for (int i = 0; i < sequence.length; i++) {
            if (sequence[i] == 0) {
                position = i;
                return;
            }
        }
    }

    private void step() {
        position++;
        if (position == sequence.length) {
            position = 0;
            if (order == BrokerOrder.RANDOM) {
                shuffle(sequence[sequence.length - 1]);
            }
        }
    }

    /** Fisher-Yates; the new round does not start with {@code last}, the broker just tried (when there is a choice). */
    private void shuffle(int last) {
        for (int i = sequence.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = sequence[i];
            sequence[i] = sequence[j];
            sequence[j] = t;
        }
        if (sequence.length > 1 && sequence[0] == last) {
            int j = 1 + random.nextInt(sequence.length - 1);
            sequence[0] = sequence[j];
            sequence[j] = last;
        }
        position = 0;
    }
}
