package org.mqttvpn.tools.ota;

import java.util.List;
import org.mqttvpn.tools.vpn.DaemonJvm;

/** The JVM options {@code toolkit ota} runs with, as the launcher gives them: {@code uploader.jvmopts}. */
public final class UploaderJvm {
    private UploaderJvm() {
    }

    public static List<String> options() {
        return DaemonJvm.read(UploaderJvm.class, "uploader.jvmopts");
    }
}
