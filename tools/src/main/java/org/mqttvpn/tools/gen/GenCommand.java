package org.mqttvpn.tools.gen;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mqttvpn.codegen.Gen;
import org.mqttvpn.codegen.inventory.FileErrors;
import org.mqttvpn.codegen.inventory.InventoryException;
import org.mqttvpn.codegen.render.GenerationException;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import org.mqttvpn.tools.firmware.FirmwarePackages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code toolkit gen}: renders every device's and host's project from the inventory. */
@Command(
        name = "gen",
        header = "Render device projects and host units from the inventory.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Render, from the network inventory, one directory per device and host,",
            "ready to build and flash or install: address, key, topics, Wi-Fi filled in.",
            "  esp8266-arduino  <device>.ino (the app) and mqtt_vpn_config.h",
            "  esp32-idf        an ESP-IDF project: CMakeLists.txt, sdkconfig.defaults,",
            "                   main/main.c, main/mqtt_vpn_config.h, main/idf_component.yml",
            "                   and components/mqtt_vpn/ (a copy of the component);",
            "                   partitions.csv (two app slots) when OTA is on",
            "  host-sim         run.sh, the toolkit sim command line, with secrets in files",
            "                   beside it (mqttvpn.key, broker.password; ota.password when",
            "                   OTA is on, with the program slots in .state/<device>/)",
            "  each host        mqttvpn-<host>.service (systemd), mqttvpn-<host>.env",
            "Files holding secrets get mode 0600 and are listed in the output's",
            ".gitignore. Everything is written beside the output directory first, then",
            "moved into place: a failure leaves the previous output as it was. The same",
            "inventory, state and key give the same bytes. Every problem of the",
            "inventory is reported at once, as 'file:line:column: what is wrong; how to",
            "fix it', and then nothing is written.",
            ""},
        footer = {
            "",
            "Beside the inventory, gen keeps <inventory>.state.yaml (the addresses given",
            "to 'auto' entries, so that they never change: commit it) and, for",
            "key: generate, <network>.key (256 random bits as 64 hex characters, mode",
            "0600, made once and reused); for ota_password: generate, the same in",
            "<network>.ota-password (the network's) or <network>.<device>.ota-password.",
            "",
            "Inventory (toolkit init writes a commented example; codegen/INVENTORY.md):",
            "  network:   name (required; a-z 0-9 -), subnet (required, 10.0.1.0/24),",
            "             ipv6_prefix, broker (required; tcp:// mqtt:// ssl:// mqtts://),",
            "             broker_user, broker_password (env:NAME | file:PATH),",
            "             topic_prefix (default mqttip),",
            "             key (required: generate | none | env:NAME | file:PATH),",
            "             ota_password (generate | env:NAME | file:PATH: firmware updates",
            "             through the VPN for every device, see toolkit ota --help)",
            "  hosts[]:   name, address (IPv4 | auto), address6 (IPv6 | auto),",
            "             interface (default mq0), nat_targets, inventory_path and",
            "             toolkit_path (for the systemd unit)",
            "  devices[]: name, platform (esp8266-arduino | esp32-idf | host-sim),",
            "             board (FQBN, default esp8266:esp8266:nodemcuv2),",
            "             target (IDF target, default esp32), address,",
            "             address6 (host-sim only), wifi: {ssid, password},",
            "             app (telnet | webserver | nat | blank), nat_targets,",
            "             client_id, settings, ota_password (the device's own),",
            "             ota (false: no updates through the VPN)",
            "  settings:  gateway; default_route (firmware); http_port (webserver, 80);",
            "             telnet_port (telnet, 23); ap_ssid, ap_password (required),",
            "             ap_address (192.168.4.1), ap_netmask (nat)",
            "",
            "Examples:",
            "  export MQTT_PASSWORD=... WIFI_PASSWORD=...",
            "  toolkit gen network.yaml --dry-run          list what would be written",
            "  toolkit gen network.yaml -o build/devices   render everything",
            "  toolkit gen network.yaml --device sensor-1  re-render one device",
            "",
            "Exit codes: 0 written, 2 problems in the inventory or flags, 1 other."})
public final class GenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "INVENTORY", defaultValue = "network.yaml",
            description = "The network inventory (default: ${DEFAULT-VALUE}).")
    Path inventory;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Where to write (default: out/ beside the inventory). Only the directories of"
                    + " the rendered nodes are replaced there; other files stay.")
    Path output;

    @Option(names = "--device", paramLabel = "NAME", description = "Render only this device or host.")
    String device;

    @Option(names = "--dry-run", description = "List what would be written (paths, sizes, secrets) and write nothing.")
    boolean dryRun;

    @Option(names = "--component", paramLabel = "ZIP",
            description = "The packaged mqtt_vpn ESP-IDF component that esp32-idf projects get a copy of"
                    + " (default: the one inside toolkit.jar).")
    Path component;

    @Override
    public Integer call() throws IOException {
        Path out = output != null ? output : inventory.toAbsolutePath().getParent().resolve("out");
        Path componentZip = component != null ? component : FirmwarePackages.idfComponent();
        Gen.Result result;
        try {
            result = Gen.run(new Gen.Request(inventory, System.getenv(), device, out, componentZip, dryRun));
        } catch (InventoryException e) {
            throw Problems.of(inventory.toString(), e);
        } catch (GenerationException e) {
            throw new ToolkitException(ExitCode.USAGE, e.getMessage());
        } catch (IOException e) {
            throw new ToolkitException(ExitCode.FAILURE, "gen could not write its files: " + FileErrors.describe(e)
                    + "; check that path and its permissions, or write elsewhere with -o DIR", e);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (dryRun) {
            w.println("would write (--dry-run: nothing was written):");
            for (Gen.Planned p : result.plan()) {
                String path = Path.of(p.path()).isAbsolute() ? p.path() : out.resolve(p.path()).toString();
                w.printf("  %-60s %7d bytes%s%n", path, p.bytes(), p.secret() ? "  secret (mode 0600)" : "");
            }
        } else {
            int files = result.generation().allFiles().size();
            w.printf("wrote %d files for %d %s to %s%n", files, result.generation().nodes().size(),
                    result.generation().nodes().size() == 1 ? "node" : "nodes", out);
            w.println("  files holding secrets have mode 0600 and are listed in " + out.resolve(".gitignore"));
            if (result.keyGenerated()) {
                w.println("generated the network key " + result.keyFile() + " (mode 0600): keep it secret, back it up");
            }
            for (Path p : result.otaPasswordsGenerated()) {
                w.println("generated the OTA password " + p + " (mode 0600; toolkit ota reads it): keep it secret, back it up");
            }
        }
        for (String fresh : result.newlyAssigned()) {
            w.println((dryRun ? "would give " : "gave ") + fresh.replaceFirst(" ", " the address ")
                    + (dryRun ? "" : " (recorded in " + result.stateFile().getFileName() + ")"));
        }
        w.flush();
        return ExitCode.OK;
    }
}
