package org.mqttvpn.codegen.inventory;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * A YAML document as a tree of nodes that know their line and column (snakeyaml-engine's
 * composer), rather than plain maps: every message about the inventory can then point at the
 * exact place to fix.
 */
public final class YamlFile {
    private final String name;

    private YamlFile(String name) {
        this.name = name;
    }

    /** The name messages use for the file (as the user wrote its path). */
    public String name() {
        return name;
    }

    public static YamlFile named(String name) {
        return new YamlFile(name);
    }

    /**
     * Composes the text; a syntax error, or lists and mappings nested deeper than
     * {@link NestingLimit#MAX_DEPTH}, becomes a problem and an empty result.
     */
    public Optional<Node> compose(String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(name).setUseMarks(true).build();
        NestingLimit parser = new NestingLimit(new ParserImpl(settings, new StreamReader(settings, text)));
        try {
            return new Composer(settings, parser).getSingleNode();
        } catch (NestingLimit.TooDeep e) {
            problems.add(e.mark() == null ? start() : position(e.mark()), "lists and mappings are nested more than "
                    + NestingLimit.MAX_DEPTH + " levels deep here (an inventory needs 4)",
                    "look for '[' or '{' that are never closed before this point, or flatten the nesting");
        } catch (MarkedYamlEngineException e) {
            Position at = e.getProblemMark().or(e::getContextMark).map(this::position).orElse(start());
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            problems.add(at, "not valid YAML: " + problem,
                    "fix the syntax here (indentation, a missing ':' or space after it, an unclosed quote or bracket)");
        } catch (YamlEngineException e) {
            problems.add(start(), "not valid YAML: " + e.getMessage(), "fix the file's syntax");
        } catch (IllegalArgumentException e) {
            // snakeyaml-engine refuses some tags without a mark (found by InventoryLoaderFuzzTest:
            // "!!str%12" decodes to a control character): point just after the last good event
            Position at = parser.lastEnd() == null ? start() : position(parser.lastEnd());
            problems.add(at, "not valid YAML after this point: " + e.getMessage(),
                    "look at the next tag (a word starting with '!'): an inventory needs none; remove it");
        }
        return Optional.empty();
    }

    public Position position(Mark mark) {
        return new Position(name, mark.getLine() + 1, mark.getColumn() + 1);
    }

    public Position at(Node node) {
        return node.getStartMark().map(this::position).orElse(start());
    }

    /** Line 1, column 1: where a problem of the whole file points. */
    public Position start() {
        return new Position(name, 1, 1);
    }

    /** What kind of node this is, for "must be X, not Y" messages. */
    public static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping (key: value lines)";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "empty";
        }
        return "a single value";
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && (s.getTag().equals(Tag.NULL)
                || (s.isPlain() && (s.getValue().isEmpty() || s.getValue().equals("~") || s.getValue().equals("null"))));
    }
}
