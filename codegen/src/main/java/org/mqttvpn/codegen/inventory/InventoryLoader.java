package org.mqttvpn.codegen.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads, checks and resolves an inventory in one step: the only way to get an {@link Inventory}.
 * Every problem of the file is collected and thrown together in an {@link InventoryException}.
 * Nothing is written here.
 */
public final class InventoryLoader {
    /** What to do when {@code key: generate} names a key file that does not exist yet. */
    public enum MissingKey {
        /** Leave the key's value null: the caller (gen) generates it and writes it with its output. */
        TO_BE_GENERATED,
        /** A problem: the caller (vpn) needs the key and must not invent one. */
        PROBLEM
    }

    private InventoryLoader() {
    }

    public static Inventory load(Path file, Map<String, String> environment, MissingKey missingKey) {
        YamlFile yaml = YamlFile.named(file.toString());
        byte[] bytes;
        try {
            bytes = YamlBytes.read(file);
        } catch (NoSuchFileException e) {
            throw InventoryException.of(yaml.start(), "the inventory does not exist",
                    "check the path, or create one with toolkit init");
        } catch (IOException e) {
            throw InventoryException.of(yaml.start(), "cannot read the inventory (" + FileErrors.reason(e) + ")",
                    "check that it is a readable file");
        }
        Problems problems = new Problems();
        Optional<Node> root = yaml.compose(Utf8Text.decode(bytes, yaml), problems);
        if (root.isEmpty()) {
            problems.throwIfAny();
            throw InventoryException.of(yaml.start(), "the inventory is empty", "start from toolkit init's example");
        }
        Path directory = file.toAbsolutePath().getParent();
        SecretResolver secrets = new SecretResolver(directory, environment, problems);
        InventoryParser.Parsed parsed = new InventoryParser(yaml, secrets, problems).parse(root.get());
        new InventoryRules(problems).check(parsed.network(), parsed.hosts(), parsed.devices());
        Network network = parsed.network();
        if (network != null && network.name() != null && network.key() != null
                && network.key().reference() instanceof Secret.Generate) {
            network = withGeneratedKey(network, Inventory.generatedKeyFileOf(file, network.name().value()), missingKey,
                    problems);
        }
        List<Device> devices = parsed.devices();
        if (network != null && network.name() != null) {
            String name = network.name().value();
            network = network.withOtaPassword(generated(network.otaPassword(),
                    Inventory.generatedOtaPasswordFileOf(file, name, null), problems));
            List<Device> withPasswords = new ArrayList<>();
            for (Device d : devices) {
                withPasswords.add(d.name() == null ? d : d.withOtaPassword(generated(d.otaPassword(),
                        Inventory.generatedOtaPasswordFileOf(file, name, d.name().value()), problems)));
            }
            devices = withPasswords;
        }
        problems.throwIfAny();
        return new Inventory(file, network, parsed.hosts(), devices);
    }

    /**
     * An {@code ota_password: generate} with the value of its file when gen has made it;
     * otherwise as it is (value null: gen makes it, and toolkit ota asks for gen first). Any
     * other password is returned as it is.
     */
    private static SecretValue generated(SecretValue password, Path passwordFile, Problems problems) {
        if (password == null || !(password.reference() instanceof Secret.Generate) || !Files.exists(passwordFile)) {
            return password;
        }
        String value = new SecretResolver(passwordFile.getParent(), Map.of(), problems)
                .resolve(new Secret.FileRef(passwordFile.getFileName().toString()), password.at(), "ota_password (generated)");
        return new SecretValue(password.reference(), value, password.at());
    }

    private static Network withGeneratedKey(Network n, Path keyFile, MissingKey missingKey, Problems problems) {
        Path directory = keyFile.getParent();
        Position at = n.key().at();
        if (!Files.exists(keyFile)) {
            if (missingKey == MissingKey.PROBLEM) {
                problems.add(at, "key: generate, but the key file " + keyFile + " does not exist yet",
                        "run toolkit gen on this inventory first (it creates the key), or copy the key file there");
            }
            return n;
        }
        String value = new SecretResolver(directory, Map.of(), problems)
                .resolve(new Secret.FileRef(keyFile.getFileName().toString()), at, "key (generated)");
        return n.withKey(new SecretValue(n.key().reference(), value, at));
    }
}
