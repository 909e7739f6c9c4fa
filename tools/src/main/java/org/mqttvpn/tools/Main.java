package org.mqttvpn.tools;

import java.io.PrintWriter;
import org.mqttvpn.tools.bench.BenchCommand;
import org.mqttvpn.tools.bench.MqttProbeCommand;
import org.mqttvpn.tools.broker.BrokerCommand;
import org.mqttvpn.tools.build.BuildCommand;
import org.mqttvpn.tools.build.SetupCommand;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.demo.DemoCommand;
import org.mqttvpn.tools.flash.FlashCommand;
import org.mqttvpn.tools.gen.GenCommand;
import org.mqttvpn.tools.gen.InitCommand;
import org.mqttvpn.tools.monitor.MonitorCommand;
import org.mqttvpn.tools.ota.OtaCommand;
import org.mqttvpn.tools.serial.PortsCommand;
import org.mqttvpn.tools.sim.SimCommand;
import org.mqttvpn.tools.vpn.VpnCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The entry point of toolkit.jar. The only place that calls System.exit. */
@Command(
        name = "toolkit",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "IP over MQTT for ESP microcontrollers and Linux, wire-compatible with MQTT_VPN.",
            "Every node gets an address on a private network; an MQTT broker is the switch."},
        subcommands = {
            VpnCommand.class,
            InitCommand.class,
            GenCommand.class,
            BrokerCommand.class,
            DemoCommand.class,
            SimCommand.class,
            BenchCommand.class,
            MqttProbeCommand.class,
            PortsCommand.class,
            BuildCommand.class,
            FlashCommand.class,
            OtaCommand.class,
            MonitorCommand.class,
            SetupCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; tests call this. */
    public static int run(String... args) {
        if (args.length > 0 && args[0].equals("vpn")) {
            return vpnCommandLine().execute(args);
        }
        return commandLine().execute(args);
    }

    /**
     * The root of {@code toolkit vpn}'s command line: the same name and subcommand as
     * {@link Main}, without the other thirteen subcommands, whose options picocli would
     * otherwise read (and whose classes the JVM would load) at every start of the daemon.
     */
    @Command(name = "toolkit", mixinStandardHelpOptions = true, versionProvider = Version.class,
            subcommands = VpnCommand.class)
    static final class VpnOnly {
    }

    /** The command line of {@code toolkit vpn} alone (see {@link VpnOnly}). */
    public static CommandLine vpnCommandLine() {
        withoutUnusedConverters();
        return configure(new CommandLine(new VpnOnly()));
    }

    public static CommandLine commandLine() {
        withoutUnusedConverters();
        CommandLine cl = configure(new CommandLine(new Main()));
        // `sim` hands every argument, --help included, to the virtual device.
        cl.getSubcommands().get("sim").setUnmatchedOptionsArePositionalParams(true);
        return cl;
    }

    /**
     * picocli registers converters for java.sql and java.time types by loading those classes
     * (about a hundred, close to 1 MiB of the daemon's memory); no option of ours has such a
     * type. Its documented switch, unless a user set it.
     */
    private static void withoutUnusedConverters() {
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, "java\\.sql\\..*,java\\.time\\..*");
        }
    }

    private static CommandLine configure(CommandLine cl) {
        // As getopt in the original: a repeated flag overrides the earlier one.
        cl.setOverwrittenOptionsAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof ToolkitException t) {
                err.println("error: " + t.getMessage());
                err.flush();
                return t.exitCode();
            }
            if (e instanceof InterruptedException) {
                return ExitCode.INTERRUPTED;
            }
            err.println("error: " + e);
            e.printStackTrace(err);
            err.flush();
            return ExitCode.FAILURE;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("error: " + e.getMessage());
            err.println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return ExitCode.USAGE;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
