package org.mqttvpn.tools.build;

import java.util.concurrent.Callable;
import org.mqttvpn.tools.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code toolkit setup}: one-time installation of what the build tools need. */
@Command(
        name = "setup",
        header = "Prepare a build tool for this project's devices (once per machine).",
        mixinStandardHelpOptions = true,
        description = {"Prepare a build tool for this project's devices (run once per machine).", ""},
        subcommands = {SetupCommand.Arduino.class},
        footer = {"", "Example:", "  toolkit setup arduino"})
public final class SetupCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code toolkit setup arduino}. */
    @Command(
            name = "arduino",
            mixinStandardHelpOptions = true,
            description = {
                "Prepare arduino-cli for ESP8266 devices. Runs, in order:",
                "  arduino-cli config init                (only when there is no config file yet)",
                "  arduino-cli config add board_manager.additional_urls \\",
                "      " + ArduinoCli.ESP8266_INDEX_URL,
                "  arduino-cli core update-index",
                "  arduino-cli core install " + ArduinoCli.ESP8266_CORE,
                "  arduino-cli lib install " + ArduinoCli.MQTT_LIBRARY,
                "arduino-cli must be on PATH; stops at the first step that fails.",
                ""},
            footer = {"", "Example:", "  toolkit setup arduino",
                "", "Exit codes: 0 done, 4 arduino-cli not installed, 17 a step failed."})
    public static final class Arduino implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            new ArduinoCli(ToolRunner.inheriting()).setupEsp8266();
            return ExitCode.OK;
        }
    }
}
