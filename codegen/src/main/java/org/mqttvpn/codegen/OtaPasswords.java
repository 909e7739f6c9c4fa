package org.mqttvpn.codegen;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mqttvpn.codegen.inventory.Device;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.SecretValue;

/**
 * The OTA password of every device that takes updates through the VPN, for gen to render. An
 * {@code ota_password: generate} that has no file yet gets one here, as the key does: 256
 * random bits as 64 hex characters ({@link NetworkKey#generate}), one per file, so that every
 * device sharing the network's generated password gets the same one.
 *
 * @param byDevice the password of each device with updates on, by device name
 * @param toCreate the generated passwords gen must write before its output, by file
 */
record OtaPasswords(Map<String, String> byDevice, Map<Path, String> toCreate) {
    static OtaPasswords of(Inventory inventory) {
        Map<String, String> byDevice = new TreeMap<>();
        Map<Path, String> toCreate = new TreeMap<>();
        for (Device d : inventory.devices()) {
            Optional<SecretValue> password = inventory.otaPassword(d);
            if (password.isEmpty()) {
                continue;
            }
            String value = password.get().value();
            if (value == null) {
                value = toCreate.computeIfAbsent(inventory.generatedOtaPasswordFile(d), f -> NetworkKey.generate());
            }
            byDevice.put(d.name().value(), value);
        }
        return new OtaPasswords(Map.copyOf(byDevice), Map.copyOf(toCreate));
    }
}
