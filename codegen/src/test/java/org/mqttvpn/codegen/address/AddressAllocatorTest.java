package org.mqttvpn.codegen.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqttvpn.codegen.inventory.Inventory;
import org.mqttvpn.codegen.inventory.InventoryException;
import org.mqttvpn.codegen.inventory.InventoryLoader;
import org.mqttvpn.host.topic.AddressText;

/** auto addresses: lowest free, in file order, and never moved by adding or removing others. */
class AddressAllocatorTest {
    @TempDir
    Path dir;

    static final String HEAD = """
            network:
              name: home
              subnet: 10.0.1.0/29
              ipv6_prefix: fd00:1::/64
              broker: mqtt://broker
              key: none
            devices:
            """;

    static String sim(String name, String address) {
        return "  - {name: " + name + ", platform: host-sim, address: " + address + ", address6: auto}\n";
    }

    private Map<String, String> gen(String devices) throws IOException {
        Path file = dir.resolve("network.yaml");
        Files.writeString(file, HEAD + devices);
        Inventory inv = InventoryLoader.load(file, Map.of(), InventoryLoader.MissingKey.PROBLEM);
        Path state = Inventory.stateFileOf(file);
        Assignments a = AddressAllocator.assign(inv, AddressState.read(state));
        Files.writeString(state, a.state().text("network.yaml"));
        Map<String, String> result = new java.util.TreeMap<>();
        a.addresses().forEach((k, v) -> result.put(k, AddressText.of(v)));
        a.addresses6().forEach((k, v) -> result.put(k + "/6", AddressText.of(v)));
        return result;
    }

    @Test
    void autoEntriesGetTheLowestFreeAddressesInFileOrderSkippingFixedOnes() throws IOException {
        Map<String, String> a = gen(sim("a", "auto") + sim("b", "10.0.1.2") + sim("c", "auto"));
        assertThat(a).containsEntry("a", "10.0.1.1").containsEntry("b", "10.0.1.2").containsEntry("c", "10.0.1.3")
                .containsEntry("a/6", "fd00:1::1").containsEntry("c/6", "fd00:1::3");
    }

    @Test
    void addingADeviceBeforeOthersChangesNoOtherAddress() throws IOException {
        Map<String, String> first = gen(sim("a", "auto") + sim("b", "auto"));
        Map<String, String> second = gen(sim("new", "auto") + sim("a", "auto") + sim("b", "auto"));
        assertThat(second).containsEntry("a", first.get("a")).containsEntry("b", first.get("b"))
                .containsEntry("new", "10.0.1.3").containsEntry("a/6", first.get("a/6"));
    }

    @Test
    void removingADeviceChangesNoOtherAddressAndItsAddressIsNotReusedInTheSameRun() throws IOException {
        gen(sim("a", "auto") + sim("b", "auto") + sim("c", "auto"));
        Map<String, String> after = gen(sim("a", "auto") + sim("c", "auto") + sim("d", "auto"));
        assertThat(after).containsEntry("a", "10.0.1.1").containsEntry("c", "10.0.1.3").containsEntry("d", "10.0.1.4");
        assertThat(Files.readString(dir.resolve("network.state.yaml"))).doesNotContain("  b:");
    }

    @Test
    void aRecordedAddressNowFixedForAnotherNodeIsGivenUp() throws IOException {
        gen(sim("a", "auto"));
        Map<String, String> after = gen(sim("x", "10.0.1.1") + sim("a", "auto"));
        assertThat(after).containsEntry("x", "10.0.1.1").containsEntry("a", "10.0.1.2");
    }

    @Test
    void aFullSubnetIsAProblemAtTheEntryThatFoundNoAddress() throws IOException {
        StringBuilder devices = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            devices.append(sim("d" + i, "auto"));
        }
        assertThatThrownBy(() -> gen(devices.toString())).isInstanceOf(InventoryException.class)
                .hasMessageContaining("network.yaml:14:").hasMessageContaining("no free address is left in 10.0.1.0/29 for device 'd6'");
    }

    @Test
    void theStateFileIsSortedAndRereadAsWritten() throws IOException {
        gen(sim("b", "auto") + sim("a", "auto"));
        String text = Files.readString(dir.resolve("network.state.yaml"));
        assertThat(text).contains("addresses:\n  a: 10.0.1.2\n  b: 10.0.1.1\n")
                .contains("addresses6:\n  a: \"fd00:1::2\"\n  b: \"fd00:1::1\"\n");
        AddressState read = AddressState.read(dir.resolve("network.state.yaml"));
        assertThat(read.text("network.yaml")).isEqualTo(text);
    }

    @Test
    void aBrokenStateFileIsReportedWithItsPosition() throws IOException {
        Files.writeString(dir.resolve("network.state.yaml"), "addresses:\n  a: 10.0.1.300\n");
        assertThatThrownBy(() -> AddressState.read(dir.resolve("network.state.yaml")))
                .hasMessageContaining("network.state.yaml:2:6: '10.0.1.300': 300 is larger than 255");
    }

    @Test
    void aMangledStateFileAsksForItsRestoreAndWarnsThatDeletingItMovesAddresses() throws IOException {
        Files.writeString(dir.resolve("network.state.yaml"), "addresses: [10.0.1.2]\n");
        assertThatThrownBy(() -> AddressState.read(dir.resolve("network.state.yaml")))
                .hasMessageContaining("network.state.yaml:1:12: expected indented name: address lines here, found a list;"
                        + " restore it from version control")
                .hasMessageContaining("deleting it gives every auto entry an address anew, maybe another one");
    }
}
