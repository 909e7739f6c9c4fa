package org.mqttvpn.tools.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One Linux network namespace, created by a lab and deleted with it. */
public final class Netns {
    private final String name;

    Netns(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** {@code ip netns exec <name> <command...>} as an argument vector. */
    public List<String> wrap(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    public List<String> wrap(String... command) {
        return wrap(List.of(command));
    }

    /** Runs a command in the namespace and requires success. */
    public String exec(String... command) throws IOException, InterruptedException {
        return Shell.check(60, wrap(command));
    }

    public Shell.Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        return Shell.run(timeoutSeconds, wrap(command));
    }

    /** {@code ip -n <name> ...}: configure the namespace's links and addresses. */
    public void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        Shell.check(cmd);
    }

    @Override
    public String toString() {
        return name;
    }
}
