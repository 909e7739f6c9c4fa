package org.mqttvpn.tools.broker;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code toolkit broker}: an embedded MQTT broker (Moquette) for a machine that has none. */
@Command(
        name = "broker",
        header = "Run an embedded MQTT broker for a machine that has none.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run an MQTT 3.1.1 broker (Moquette) in this process, for a machine without one.",
            "Anonymous, in memory, no TLS: bind it to an address only your nodes can reach,",
            "and use mosquitto or another full broker where it faces the internet.",
            "Each client is an open file: at start it raises its soft open-file limit to the hard limit,",
            "and says how many clients that leaves room for (with a warning below 2000).",
            "Stops on Ctrl-C or SIGTERM."},
        footer = {"", "Example:", "  toolkit broker --bind 0.0.0.0 --port 1883"})
public final class BrokerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "1883", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port: " + port + " is outside 1..65535");
        }
        Logger log = LoggerFactory.getLogger("mqttvpn.broker");
        // Every client is a socket: raise the soft open-file limit before the first one.
        OpenFileLimit files = null;
        try {
            files = OpenFileLimit.raiseToHard();
        } catch (IOException e) {
            log.warn("cannot read the open-file limit, which caps the clients: {}", e.getMessage());
        }
        EmbeddedBroker broker = new EmbeddedBroker(bind, port);
        try {
            broker.start();
        } catch (IOException e) {
            throw new ToolkitException(ExitCode.FAILURE, e.getMessage());
        }
        if (files != null) {
            files = files.recount(); // the broker's own sockets and threads' descriptors count too
        }
        log.info("MQTT broker listening on {}:{}{}", bind, port, files == null ? "" : "; " + files.describe());
        if (files != null && files.low()) {
            log.warn(files.advice());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        stopped.await();
        return ExitCode.OK;
    }
}
