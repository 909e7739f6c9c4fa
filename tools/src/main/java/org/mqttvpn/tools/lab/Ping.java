package org.mqttvpn.tools.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** iputils ping run in a namespace, with its summary parsed. */
public final class Ping {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern RTT = Pattern.compile("time=([0-9.]+) ms");

    /** What came back; RTTs in milliseconds, in order. */
    public record Result(int transmitted, int received, List<Double> rtts, String output) {
        public boolean allAnswered() {
            return transmitted > 0 && received == transmitted;
        }

        public double avg() {
            return rtts.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        public double min() {
            return rtts.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        public double max() {
            return rtts.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        /** The p-th percentile (0..100), nearest rank. */
        public double percentile(double p) {
            if (rtts.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(rtts);
            sorted.sort(null);
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
        }
    }

    private Ping() {
    }

    /** {@code ping -c count -i interval}; an interval of 0 floods (-f, root only). */
    public static Result run(Netns ns, String target, int count, double intervalSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ping", "-c", Integer.toString(count), "-W", "2"));
        if (intervalSeconds <= 0) {
            cmd.add("-f");
        } else {
            cmd.addAll(List.of("-i", Double.toString(intervalSeconds)));
        }
        cmd.add(target);
        long timeout = 30 + (long) (count * Math.max(intervalSeconds, 0.01)) * 2;
        Shell.Result r = Shell.run(timeout, ns.wrap(cmd));
        return parse(r.output());
    }

    /**
     * Pings once a second until a reply comes, at most {@code timeoutSeconds}; true when one did.
     * A node logs "connected" when the broker accepted it, which can be before the broker has
     * processed its subscriptions: measurements start after the first answered ping.
     */
    public static boolean awaitReply(Netns ns, String target, int timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Shell.run(10, ns.wrap("ping", "-c", "1", "-W", "1", target)).ok()) {
                return true;
            }
        }
        return false;
    }

    static Result parse(String output) {
        Matcher s = SUMMARY.matcher(output);
        int tx = 0;
        int rx = 0;
        if (s.find()) {
            tx = Integer.parseInt(s.group(1));
            rx = Integer.parseInt(s.group(2));
        }
        List<Double> rtts = new ArrayList<>();
        Matcher m = RTT.matcher(output);
        while (m.find()) {
            rtts.add(Double.parseDouble(m.group(1)));
        }
        return new Result(tx, rx, List.copyOf(rtts), output);
    }
}
