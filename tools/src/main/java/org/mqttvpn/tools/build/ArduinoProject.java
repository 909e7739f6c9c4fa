package org.mqttvpn.tools.build;

import java.nio.file.Path;

/**
 * A sketch to upload with arduino-cli.
 *
 * @param sketchDir the sketch folder
 * @param fqbn      the board, e.g. esp8266:esp8266:nodemcuv2
 * @param buildDir  where {@link ArduinoCli#compile} put the binaries (upload's --input-dir)
 */
public record ArduinoProject(Path sketchDir, String fqbn, Path buildDir) {
}
