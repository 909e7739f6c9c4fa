package org.mqttvpn.codegen.inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML mapping of the inventory, read key by key. Checks, when made, that its keys are
 * known (suggesting the closest known key for a typo) and unique, and offers typed reads that
 * record a problem, pointing at the value, when the value has the wrong shape.
 */
final class YamlMap {
    private final YamlFile file;
    private final MappingNode node;
    private final String what;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    YamlMap(YamlFile file, MappingNode node, String what, Collection<String> allowed, Problems problems) {
        this.file = file;
        this.node = node;
        this.what = what;
        this.problems = problems;
        for (NodeTuple t : node.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks) || YamlFile.isNull(k)) {
                problems.add(file.at(k), "a key of " + what + " is " + YamlFile.kind(k), "keys are plain words, like name:");
                continue;
            }
            String key = ks.getValue();
            NodeTuple first = entries.get(key);
            if (first != null) {
                problems.add(file.at(k), "'" + key + "' appears twice in " + what + " (first at line "
                        + file.at(first.getKeyNode()).line() + ")", "keep one of them");
                continue;
            }
            if (!allowed.contains(key)) {
                Optional<String> close = DidYouMean.closest(key, allowed);
                problems.add(file.at(k), "unknown key '" + key.replaceAll("\\p{Cc}", "?") + "' in " + what,
                        close.map(c -> "did you mean '" + c + "'?")
                                .orElse("the keys of " + what + " are: " + String.join(", ", allowed)));
                continue;
            }
            entries.put(key, t);
        }
    }

    Position at() {
        return file.at(node);
    }

    YamlFile file() {
        return file;
    }

    String what() {
        return what;
    }

    /** The known keys given, each with where it is written. */
    List<Located<String>> keys() {
        List<Located<String>> keys = new ArrayList<>();
        entries.forEach((k, t) -> keys.add(new Located<>(k, file.at(t.getKeyNode()))));
        return keys;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Node value(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    Position valueAt(String key) {
        return file.at(value(key));
    }

    void missing(String key, String example) {
        problems.add(at(), what + " has no '" + key + "'", "add " + example);
    }

    /**
     * A single value (any scalar but an empty one) without control characters, or null when
     * absent or wrong (problem recorded).
     */
    Located<String> text(String key, String example) {
        Node v = value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof ScalarNode s) || YamlFile.isNull(v)) {
            problems.add(file.at(v), "'" + key + "' of " + what + " must be a single value, not " + YamlFile.kind(v),
                    "write " + example);
            return null;
        }
        String control = ControlCharacters.firstWithPlace(s.getValue());
        if (control != null) {
            problems.add(file.at(v), "'" + key + "' of " + what + " holds a control character (" + control + ")",
                    "remove it (in a double-quoted value, escapes such as \\0, \\t or \\n make them): the value ends in"
                            + " C strings, command lines and file names");
            return null;
        }
        return new Located<>(s.getValue(), file.at(v));
    }

    Located<String> requiredText(String key, String example) {
        if (!has(key)) {
            missing(key, example);
            return null;
        }
        return text(key, example);
    }

    Located<Integer> integer(String key, int min, int max, String example) {
        Node v = value(key);
        if (v == null) {
            return null;
        }
        if (v instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            try {
                int n = Integer.parseInt(s.getValue());
                if (n >= min && n <= max) {
                    return new Located<>(n, file.at(v));
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        problems.add(file.at(v), "'" + key + "' of " + what + " must be a whole number " + min + ".." + max,
                "write " + example);
        return null;
    }

    Located<Boolean> bool(String key) {
        Node v = value(key);
        if (v == null) {
            return null;
        }
        if (v instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            return new Located<>(Boolean.parseBoolean(s.getValue()), file.at(v));
        }
        problems.add(file.at(v), "'" + key + "' of " + what + " must be true or false", "write " + key + ": true");
        return null;
    }

    /** A nested mapping, or null when absent or not a mapping (problem recorded). */
    MappingNode mapping(String key, String example) {
        Node v = value(key);
        if (v == null) {
            return null;
        }
        if (v instanceof MappingNode m) {
            return m;
        }
        problems.add(file.at(v), "'" + key + "' of " + what + " must be a mapping, not " + YamlFile.kind(v),
                "write " + example);
        return null;
    }

    /** The items of a list; absent or empty gives none, a wrong shape gives none and a problem. */
    List<Node> list(String key, String example) {
        Node v = value(key);
        if (v == null || YamlFile.isNull(v)) {
            return List.of();
        }
        if (v instanceof SequenceNode s) {
            return new ArrayList<>(s.getValue());
        }
        problems.add(file.at(v), "'" + key + "' of " + what + " must be a list, not " + YamlFile.kind(v),
                "write " + example);
        return List.of();
    }
}
