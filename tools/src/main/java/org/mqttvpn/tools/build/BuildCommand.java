package org.mqttvpn.tools.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mqttvpn.codegen.inventory.Platform;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.firmware.FirmwarePackages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code toolkit build DEVICE}: compiles the project gen rendered for a device, with its own tool. */
@Command(
        name = "build",
        header = "Compile a device's project with arduino-cli or idf.py.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Compile a device's project (rendered by toolkit gen) with the device's own tool:",
            "  esp8266-arduino  arduino-cli compile --fqbn <board> --library <mqtt_vpn_arduino>",
            "                   --output-dir <project>/build <project>",
            "  esp32-idf        idf.py -C <project> build",
            "arduino-cli and idf.py are found on PATH (idf.py also in $IDF_PATH/tools); when one is",
            "missing, the message says how to install it. Then: toolkit flash DEVICE."},
        footer = {"", "Examples:", "  toolkit build sensor-1", "  toolkit build gw --inventory ~/vpn/network.yaml -o ~/vpn/out",
            "", "Exit codes: 0 built, 2 bad input (inventory, unknown device, not rendered yet),",
            "4 arduino-cli/idf.py missing, 17 the tool failed."})
public final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEVICE", description = "A device of the inventory.")
    String device;

    @Mixin
    InventoryOptions projects;

    @Option(names = "--library", paramLabel = "PATH",
            description = "The mqtt_vpn_arduino library (zip or folder) to compile with (default: the one inside toolkit.jar).")
    Path library;

    @Override
    public Integer call() throws Exception {
        DeviceProject p = projects.find(device);
        p.requireFirmware("build");
        ToolRunner runner = ToolRunner.inheriting();
        if (p.platform() == Platform.ESP8266_ARDUINO) {
            new ArduinoCli(runner).compile(p.fqbn(), arduinoLibrary(), p.buildDir(), p.projectDir());
            spec.commandLine().getOut().println("built " + p.arduinoImage() + "; flash it with: toolkit flash " + device);
        } else {
            new IdfPy(runner).build(p.projectDir());
            spec.commandLine().getOut().println("built " + p.buildDir() + "; flash it with: toolkit flash " + device);
        }
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    /** --library, else the library inside toolkit.jar. */
    private Path arduinoLibrary() {
        String where = "firmware/esp8266-arduino/target/mqtt_vpn_arduino-VERSION.zip (made by mvn package)";
        if (library != null) {
            if (!Files.exists(library)) {
                throw ToolkitException.usage("--library " + library + " does not exist: pass the mqtt_vpn_arduino"
                        + " library's zip or folder, e.g. " + where);
            }
            return library;
        }
        Path packaged = FirmwarePackages.arduinoLibrary();
        if (packaged == null) {
            throw ToolkitException.usage("this toolkit.jar carries no mqtt_vpn_arduino library to compile with:"
                    + " pass --library " + where);
        }
        return packaged;
    }
}
