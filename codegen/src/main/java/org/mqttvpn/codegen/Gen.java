package org.mqttvpn.codegen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mqttvpn.codegen.address.AddressAllocator;
import org.mqttvpn.codegen.address.AddressState;
import org.mqttvpn.codegen.address.Assignments;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.InventoryLoader;
import org.mqttvpn.codegen.inventory.Member;
import org.mqttvpn.codegen.inventory.Secret;
import org.mqttvpn.codegen.render.Generation;
import org.mqttvpn.codegen.render.GenerationException;
import org.mqttvpn.codegen.render.Generator;
import org.mqttvpn.codegen.render.OutputWriter;
import org.mqttvpn.codegen.render.RenderedFile;
import org.mqttvpn.host.topic.AddressText;

/**
 * One gen run: load and check the inventory, give {@code auto} entries their addresses, make
 * the key and OTA passwords that are to be generated, render, and (unless a dry run) write the
 * new key file and password files, then the output, then the state file. Any problem stops the
 * run before anything is written.
 */
public final class Gen {
    /**
     * @param device     render only this host or device; null for all
     * @param component  the packaged mqtt_vpn ESP-IDF component (zip) that esp32-idf projects
     *                   include, or null
     */
    public record Request(Path inventory, Map<String, String> environment, String device, Path outputDir,
                          Path component, boolean dryRun) {
    }

    /** One line of the plan: a path (relative to the output directory unless absolute), its size, whether secret. */
    public record Planned(String path, int bytes, boolean secret) {
    }

    /**
     * @param keyGenerated          the key is (or, for a dry run, would be) generated
     * @param otaPasswordsGenerated the files of {@code ota_password: generate} passwords this run
     *                              makes (or would make)
     */
    public record Result(Generation generation, List<Planned> plan, List<String> newlyAssigned, boolean keyGenerated,
                         Path keyFile, Path stateFile, List<Path> otaPasswordsGenerated) {
    }

    private Gen() {
    }

    public static Result run(Request request) throws IOException {
        Inventory inventory = InventoryLoader.load(request.inventory(), request.environment(),
                InventoryLoader.MissingKey.TO_BE_GENERATED);
        Set<String> only = Set.of();
        if (request.device() != null) {
            if (inventory.members().stream().noneMatch(m -> m.name().value().equals(request.device()))) {
                List<String> names = inventory.members().stream().map(m -> m.name().value()).sorted().toList();
                throw new GenerationException("--device " + request.device() + ": the inventory has no such host or"
                        + " device; " + (names.isEmpty() ? "it has none: add it under hosts: or devices:"
                        : "it has " + String.join(", ", names)));
            }
            only = Set.of(request.device());
        }
        Path stateFile = Inventory.stateFileOf(request.inventory());
        AddressState state = AddressState.read(stateFile);
        Assignments assignments = AddressAllocator.assign(inventory, state);

        var key = inventory.network().key();
        boolean generateKey = key.reference() instanceof Secret.Generate && key.value() == null;
        String keyValue = key.reference() instanceof Secret.None ? null : generateKey ? NetworkKey.generate() : key.value();

        OtaPasswords ota = OtaPasswords.of(inventory);

        Generation generation = new Generator().generate(inventory, assignments, keyValue, ota.byDevice(), only,
                request.component());
        List<Planned> plan = new ArrayList<>();
        for (RenderedFile f : generation.allFiles()) {
            plan.add(new Planned(f.path(), f.content().length, f.secret()));
        }
        Path keyFile = inventory.generatedKeyFile();
        if (generateKey) {
            plan.add(new Planned(keyFile.toString(), keyValue.length() + 1, true));
        }
        ota.toCreate().forEach((file, password) -> plan.add(new Planned(file.toString(), password.length() + 1, true)));
        byte[] stateBytes = assignments.state().text(request.inventory().getFileName().toString())
                .getBytes(StandardCharsets.UTF_8);
        plan.add(new Planned(stateFile.toString(), stateBytes.length, false));
        if (!request.dryRun()) {
            // The key and passwords first: output that uses one must never exist without its file.
            if (generateKey) {
                NetworkKey.writeNew(keyFile, keyValue);
            }
            for (var created : ota.toCreate().entrySet()) {
                NetworkKey.writeNew(created.getKey(), created.getValue());
            }
            OutputWriter.write(request.outputDir(), generation);
            // rewritten only when it changes, so that an unchanged state keeps its time stamp
            if (!Files.exists(stateFile) || !Arrays.equals(Files.readAllBytes(stateFile), stateBytes)) {
                OutputWriter.replaceFile(stateFile, stateBytes);
            }
        }
        List<String> fresh = new ArrayList<>();
        for (Member m : inventory.members()) {
            if (assignments.newlyAssigned().contains(m.name().value())) {
                String v6 = assignments.address6(m) == null ? "" : " " + AddressText.of(assignments.address6(m));
                fresh.add(m.name().value() + " " + AddressText.of(assignments.address(m)) + v6);
            }
        }
        return new Result(generation, plan, fresh, generateKey, keyFile, stateFile, List.copyOf(ota.toCreate().keySet()));
    }
}
