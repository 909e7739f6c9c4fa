package org.mqttvpn.tools.flash;

import java.util.List;
import org.mqttvpn.tools.build.ArduinoProject;
import org.mqttvpn.tools.build.IdfProject;

/**
 * What to put on a board, in every form the upload methods take: image files for the built-in
 * loader, and/or the project a build tool can upload. The command line fills it from --image,
 * --sketch/--fqbn/--build-dir and --idf-project; a device looked up in the network inventory can
 * fill it the same way and go through {@link FlashCommand#flash}.
 *
 * @param images  files and addresses for the built-in loader (may be empty)
 * @param arduino a sketch for arduino-cli, or null
 * @param idf     an ESP-IDF project for idf.py, or null
 */
public record FlashTarget(List<ImageSpec> images, ArduinoProject arduino, IdfProject idf) {
    public FlashTarget {
        images = List.copyOf(images);
    }
}
