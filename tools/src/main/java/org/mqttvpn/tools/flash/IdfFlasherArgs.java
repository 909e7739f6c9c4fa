package org.mqttvpn.tools.flash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.mqttvpn.tools.cli.ToolkitException;

/**
 * The images of an ESP-IDF build, from {@code build/flasher_args.json}: idf.py writes there
 * every file esptool must write ("flash_files": offset to path, relative to build/).
 */
final class IdfFlasherArgs {
    private IdfFlasherArgs() {
    }

    static List<ImageSpec> images(Path flasherArgs) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(flasherArgs));
        } catch (IOException e) {
            throw ToolkitException.usage(flasherArgs + ": cannot read it as idf.py's JSON (" + e.getMessage() + ")");
        }
        JsonNode files = root.path("flash_files");
        if (!files.isObject() || files.isEmpty()) {
            throw ToolkitException.usage(flasherArgs + " lists no \"flash_files\": rebuild with idf.py build");
        }
        List<ImageSpec> images = new ArrayList<>();
        Path dir = flasherArgs.getParent();
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String spec = dir.resolve(e.getValue().asText()) + "@" + e.getKey();
            try {
                images.add(ImageSpec.parse(spec));
            } catch (IllegalArgumentException ex) {
                throw ToolkitException.usage(flasherArgs + ": entry " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return images;
    }
}
