package org.mqttvpn.codegen.inventory;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * A parser that refuses lists and mappings nested deeper than a limit. snakeyaml-engine's
 * composer recurses once per level and has no such limit of its own (SnakeYAML's
 * LoaderOptions.setNestingDepthLimit has no counterpart in LoadSettings): a few kilobytes of
 * {@code [} would end in a StackOverflowError. Counting the events that open and close a
 * collection as the composer takes them stops it long before.
 */
final class NestingLimit implements Parser {
    /** The depth at which a collection is refused: SnakeYAML's default, far beyond an inventory's 4. */
    static final int MAX_DEPTH = 50;

    /** Thrown at the first collection that opens one level too deep. */
    static final class TooDeep extends RuntimeException {
        private final transient Mark mark;

        TooDeep(Mark mark) {
            super("nested more than " + MAX_DEPTH + " levels deep", null, false, false);
            this.mark = mark;
        }

        /** Where the collection that is one too deep starts; null when the parser kept no marks. */
        Mark mark() {
            return mark;
        }
    }

    private final Parser parser;
    private int depth;
    private Mark lastEnd;

    NestingLimit(Parser parser) {
        this.parser = parser;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        return parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return parser.hasNext();
    }

    @Override
    public Event next() {
        Event e = parser.next();
        lastEnd = e.getEndMark().orElse(lastEnd);
        switch (e.getEventId()) {
            case SequenceStart, MappingStart -> {
                if (++depth > MAX_DEPTH) {
                    throw new TooDeep(e.getStartMark().orElse(null));
                }
            }
            case SequenceEnd, MappingEnd -> depth--;
            default -> {
                // scalars, aliases, documents and comments do not nest
            }
        }
        return e;
    }

    /**
     * Where the last event the composer took ends: the nearest known place to a failure that
     * carries no mark of its own; null before the first event or without marks.
     */
    Mark lastEnd() {
        return lastEnd;
    }
}
