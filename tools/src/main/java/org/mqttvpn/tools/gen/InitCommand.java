package org.mqttvpn.tools.gen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mqttvpn.codegen.render.OutputWriter;
import org.mqttvpn.tools.cli.ExitCode;
import org.mqttvpn.tools.cli.ToolkitException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code toolkit init}: writes a commented example inventory to start from. */
@Command(
        name = "init",
        header = "Write a commented example network inventory (network.yaml).",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Write a commented example network.yaml into DIR: one host, an ESP8266",
            "with the webserver app, an ESP32 NAT gateway and a virtual device, every",
            "key explained. It is a valid inventory: after exporting the three",
            "variables it names (MQTT_PASSWORD, WIFI_PASSWORD, AP_PASSWORD),",
            "toolkit gen renders it as it is.",
            ""},
        footer = {
            "",
            "Examples:",
            "  toolkit init                 ./network.yaml",
            "  toolkit init ~/vpn --force   replace ~/vpn/network.yaml",
            "",
            "Exit codes: 0 written, 2 the file exists (without --force) or DIR is",
            "not a directory."})
public final class InitCommand implements Callable<Integer> {
    static final String EXAMPLE = "/example/network.yaml";

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "Directory to write network.yaml into (default: the current one).")
    Path directory;

    @Option(names = "--force", description = "Replace an existing network.yaml.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new ToolkitException(ExitCode.USAGE, directory + " is not a directory: give the directory to write network.yaml into");
        }
        Path file = directory.resolve("network.yaml");
        if (Files.exists(file) && !force) {
            throw new ToolkitException(ExitCode.USAGE, file + " already exists: edit it, or pass --force to replace it with the example");
        }
        Files.createDirectories(directory);
        byte[] example;
        try (InputStream in = InitCommand.class.getResourceAsStream(EXAMPLE)) {
            if (in == null) {
                throw new IllegalStateException("the example inventory " + EXAMPLE + " is missing from toolkit.jar");
            }
            example = in.readAllBytes();
        }
        OutputWriter.replaceFile(file, example);
        spec.commandLine().getOut().println("wrote " + file + ": edit it, export the variables it names, then run"
                + " toolkit gen " + file);
        return ExitCode.OK;
    }
}
