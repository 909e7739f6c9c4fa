package org.mqttvpn.tools.build;

import java.nio.file.Path;

/** An ESP-IDF project to flash with idf.py: the folder holding its top CMakeLists.txt. */
public record IdfProject(Path projectDir) {
}
