package org.mqttvpn.codegen.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mqttvpn.codegen.Workspace;

/** gen's limit on a device's brokers is the firmware's array size: more would be written past its end. */
class DeviceBrokerLimitTest {
    @Test
    void theDeviceBrokerLimitIsTheFirmwaresDefault() throws IOException {
        String header = Files.readString(Workspace.repository().resolve("firmware/common/include/mqttvpn/glue/brokers.h"));
        Matcher m = Pattern.compile("#define MQTTVPN_MAX_BROKERS (\\d+)u").matcher(header);
        assertThat(m.find()).as("MQTTVPN_MAX_BROKERS in brokers.h").isTrue();
        assertThat(InventoryRules.MAX_DEVICE_BROKERS).isEqualTo(Integer.parseInt(m.group(1)));
    }
}
