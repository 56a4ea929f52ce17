package dev.aiprogress.stream;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Separates reasoning from answer text while streaming (SPLITTER.md). One instance per generation,
 * called serially.
 *
 * <p>STUB: the API is fixed; the implementation lands with the splitter work. It currently passes
 * content through as text without looking for tags.
 */
public final class ReasoningSplitter {

    private final Consumer<Chunk> out;

    public ReasoningSplitter(TagRules rules, Consumer<Chunk> out) {
        Objects.requireNonNull(rules, "rules");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Feeds one delta; zero or more chunks come out through the consumer. */
    public void accept(Delta delta) {
        if (delta instanceof Delta.Reasoning r) {
            if (!r.text().isEmpty()) out.accept(new Chunk.Reasoning(r.text()));
        } else if (delta instanceof Delta.Content c) {
            if (!c.text().isEmpty()) out.accept(new Chunk.Text(c.text()));
        } else if (delta instanceof Chunk chunk) {
            out.accept(chunk);
        }
    }

    /** End of stream: flushes whatever is held, verbatim, to the current channel. */
    public void finish() {
    }

    /** True when the stream ended inside a reasoning block (reported as {@code reasoning_unclosed}). */
    public boolean reasoningUnclosed() {
        return false;
    }
}
