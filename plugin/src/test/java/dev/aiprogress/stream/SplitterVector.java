package dev.aiprogress.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * One splitter test vector: rules, input deltas, and the exact expected output. {@code sequence},
 * when not empty, is the expected output with adjacent same-channel chunks merged.
 */
record SplitterVector(String name, TagRules rules, List<Delta> deltas, String reasoning, String text,
                      int reasoningBlocks, boolean unclosed, List<Chunk> sequence) {

    static final TagRules ANYWHERE = new TagRules(List.of("think", "thinking"), TagRules.Mode.ANYWHERE, false);
    static final TagRules START_IN_REASONING = new TagRules(List.of("think", "thinking"), TagRules.Mode.LEADING, true);

    @Override
    public String toString() {
        return name;
    }

    /** Starts a vector whose deltas are content pieces (the {@code ·} of docs/SPLITTER.md). */
    static Builder vector(String name, String... contentPieces) {
        Builder b = new Builder(name);
        for (String piece : contentPieces) b.deltas.add(new Delta.Content(piece));
        return b;
    }

    static Delta content(String text) {
        return new Delta.Content(text);
    }

    static Delta nativeReasoning(String text) {
        return new Delta.Reasoning(text);
    }

    static Chunk.ToolCall toolCall() {
        return new Chunk.ToolCall("call_1", "lookup", "{\"q\":1}");
    }

    static Chunk.Usage usage() {
        return new Chunk.Usage(3, 5, OptionalLong.of(2));
    }

    /** One content delta per UTF-16 unit of {@code text}. */
    static String[] oneCharEach(String text) {
        String[] pieces = new String[text.length()];
        for (int i = 0; i < text.length(); i++) pieces[i] = String.valueOf(text.charAt(i));
        return pieces;
    }

    static final class Builder {
        private final String name;
        private final List<Delta> deltas = new ArrayList<>();
        private TagRules rules = TagRules.DEFAULT;
        private String reasoning = "";
        private String text = "";
        private int blocks = -1;
        private boolean unclosed;
        private List<Chunk> sequence = List.of();

        private Builder(String name) {
            this.name = name;
        }

        Builder deltas(Delta... more) {
            deltas.addAll(Arrays.asList(more));
            return this;
        }

        Builder rules(TagRules value) {
            rules = value;
            return this;
        }

        Builder r(String value) {
            reasoning = value;
            return this;
        }

        Builder t(String value) {
            text = value;
            return this;
        }

        Builder blocks(int value) {
            blocks = value;
            return this;
        }

        Builder unclosed() {
            unclosed = true;
            return this;
        }

        Builder sequence(Chunk... merged) {
            sequence = List.of(merged);
            return this;
        }

        SplitterVector build() {
            int expectedBlocks = blocks >= 0 ? blocks : reasoning.isEmpty() ? 0 : 1;
            return new SplitterVector(name, rules, List.copyOf(deltas), reasoning, text, expectedBlocks, unclosed, sequence);
        }
    }
}
