package dev.aiprogress.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Split invariance (docs/SPLITTER.md, rule 11): however the deltas are re-chunked (randomly, one character per
 * chunk, with empty chunks between), the output equals the one-chunk run, no chunk is empty and
 * none ends in a lone high surrogate. Tries come from {@code jqwik.tries.default}.
 */
class ReasoningSplitterProperties {

    private static final List<Integer> ONE_CHAR = List.of(1);
    private static final List<Integer> ONE_CHAR_WITH_EMPTIES = List.of(1, 0);

    @Property
    void accept_vectorRechunked_sameOutputAsOneChunk(@ForAll("vectors") SplitterVector vector,
                                                     @ForAll("chunkSizes") List<Integer> sizes) {
        assertSplitInvariant(vector.rules(), joinedPieces(vector.deltas()), sizes);
    }

    @Property
    void accept_randomDeltasRechunked_sameOutputAsOneChunk(@ForAll("rules") TagRules rules,
                                                           @ForAll("deltaSequences") List<Delta> deltas,
                                                           @ForAll("chunkSizes") List<Integer> sizes) {
        assertSplitInvariant(rules, deltas, sizes);
    }

    /**
     * Nothing is reordered or invented: the emitted text, in order, is a subsequence of the input
     * text, and what is missing is only whitespace and the characters tags are made of.
     */
    @Property
    void accept_randomDeltas_dropsOnlyWhitespaceAndTagCharacters(@ForAll("rules") TagRules rules,
                                                                 @ForAll("deltaSequences") List<Delta> deltas) {
        StringBuilder input = new StringBuilder();
        for (Delta delta : deltas) {
            if (delta instanceof Delta.Content c) input.append(c.text());
            if (delta instanceof Delta.Reasoning r) input.append(r.text());
        }
        StringBuilder output = new StringBuilder();
        for (Chunk chunk : SplitterRun.of(rules, deltas).chunks()) {
            if (chunk instanceof Chunk.Reasoning r) output.append(r.text());
            if (chunk instanceof Chunk.Text t) output.append(t.text());
        }

        String tagCharacters = " \t\r\n</>" + String.join("", rules.tags())
                + String.join("", rules.tags()).toUpperCase(Locale.ROOT);
        assertEquals("", droppedOtherThan(tagCharacters, output, input));
    }

    /**
     * Aligns {@code output} greedily within {@code input}; returns what cannot be aligned or is left
     * out while not in {@code droppable}, or "" when all is well. (Which characters are left out
     * does not depend on the alignment, as a multiset.)
     */
    private static String droppedOtherThan(String droppable, CharSequence output, CharSequence input) {
        StringBuilder bad = new StringBuilder();
        int at = 0;
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (at < output.length() && output.charAt(at) == c) {
                at++;
            } else if (droppable.indexOf(c) < 0) {
                bad.append(c);
            }
        }
        if (at < output.length()) return "output is not a subsequence of the input; unmatched from " + at;
        return bad.length() == 0 ? "" : "dropped: " + bad;
    }

    @Property
    void accept_textWithoutLt_comesOutAsTextUnchanged(@ForAll("plainTexts") String text,
                                                      @ForAll("anyMode") TagRules.Mode mode,
                                                      @ForAll("chunkSizes") List<Integer> sizes) {
        TagRules rules = new TagRules(List.of("think", "thinking"), mode, false);
        SplitterRun run = SplitterRun.of(rules, SplitterRun.rechunk(List.of(new Delta.Content(text)), sizes));

        assertEquals(text, run.text());
        assertEquals("", run.reasoning());
        assertEquals(false, run.reasoningUnclosed());
        assertEquals("", run.badChunk());
    }

    @Property
    void accept_textWithoutLtStartingInReasoning_comesOutAsReasoningWithoutLeadingWhitespace(
            @ForAll("plainTexts") String text, @ForAll("chunkSizes") List<Integer> sizes) {
        SplitterRun run = SplitterRun.of(SplitterVector.START_IN_REASONING,
                SplitterRun.rechunk(List.of(new Delta.Content(text)), sizes));

        assertEquals(stripLeadingWhitespace(text), run.reasoning());
        assertEquals("", run.text());
        assertEquals(!text.isEmpty(), run.reasoningUnclosed());
        assertEquals("", run.badChunk());
    }

    private static void assertSplitInvariant(TagRules rules, List<Delta> deltas, List<Integer> sizes) {
        SplitterRun whole = SplitterRun.of(rules, deltas);
        assertEquals("", whole.badChunk(), "one chunk");
        for (List<Integer> chunking : List.of(sizes, ONE_CHAR, ONE_CHAR_WITH_EMPTIES)) {
            SplitterRun split = SplitterRun.of(rules, SplitterRun.rechunk(deltas, chunking));
            assertEquals(whole.merged(), split.merged(), "chunk sizes " + chunking);
            assertEquals(whole.reasoningUnclosed(), split.reasoningUnclosed(), "reasoningUnclosed, chunk sizes " + chunking);
            assertEquals("", split.badChunk(), "chunk sizes " + chunking);
        }
    }

    /** The vector's deltas with adjacent pieces of the same kind joined: its one-chunk form. */
    private static List<Delta> joinedPieces(List<Delta> deltas) {
        List<Delta> joined = new ArrayList<>();
        for (Delta delta : deltas) {
            Delta previous = joined.isEmpty() ? null : joined.get(joined.size() - 1);
            if (delta instanceof Delta.Content c && previous instanceof Delta.Content p) {
                joined.set(joined.size() - 1, new Delta.Content(p.text() + c.text()));
            } else if (delta instanceof Delta.Reasoning r && previous instanceof Delta.Reasoning p) {
                joined.set(joined.size() - 1, new Delta.Reasoning(p.text() + r.text()));
            } else {
                joined.add(delta);
            }
        }
        return joined;
    }

    private static String stripLeadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
        return s.substring(i);
    }

    @Provide
    Arbitrary<SplitterVector> vectors() {
        return Arbitraries.of(SplitterVectors.all());
    }

    /** Chunk sizes taken in turn; 0 inserts an empty delta. */
    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.integers().between(0, 12).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<TagRules.Mode> anyMode() {
        return Arbitraries.of(TagRules.Mode.class);
    }

    @Provide
    Arbitrary<TagRules> rules() {
        Arbitrary<List<String>> tagSets = Arbitraries.of(
                List.of("think", "thinking"), List.of("think", "thinking", "reasoning", "thought"), List.of("thought"));
        return Combinators.combine(tagSets, Arbitraries.of(TagRules.Mode.class), Arbitraries.of(false, true))
                .as(TagRules::new);
    }

    @Provide
    Arbitrary<List<Delta>> deltaSequences() {
        Arbitrary<Delta> delta = Arbitraries.frequencyOf(
                Tuple.of(12, tagRichTexts().map(Delta.Content::new)),
                Tuple.of(3, tagRichTexts().map(Delta.Reasoning::new)),
                Tuple.of(1, Arbitraries.just(SplitterVector.toolCall())),
                Tuple.of(1, Arbitraries.just(SplitterVector.usage())),
                Tuple.of(1, Arbitraries.just(new Delta.ProviderState("{}"))));
        return delta.list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * Texts from an alphabet rich in tag pieces, whitespace (with CRLF) and astral characters; a
     * whitespace run past the hold cap in about one try of six (more would only slow the runs down).
     */
    private static Arbitrary<String> tagRichTexts() {
        Arbitrary<String> token = Arbitraries.frequencyOf(
                Tuple.of(150, Arbitraries.of("<", "/", ">", "</", "think", "thinking", "THINK", "Think", "thought",
                        "reasoning", "th", "er", "<think>", "</think>", "<thinking>", "</Thinking>", "<thought>",
                        "</thought>", "<reasoning>", "</reasoning>", "<think/>", "<think >", "<th", "</th")),
                Tuple.of(100, Arbitraries.of(" ", "  ", "\t", "\n", "\r\n", "\n\n")),
                Tuple.of(100, Arbitraries.of("a", "b", "Hello", "x<y", "🙂", "日本", "𝄞", "é")),
                Tuple.of(1, Arbitraries.just(" ".repeat(2100))));
        return token.list().ofMaxSize(30).map(tokens -> String.join("", tokens));
    }

    /** Texts without '<', so nothing can be a tag; whitespace runs cross the hold cap now and then. */
    @Provide
    Arbitrary<String> plainTexts() {
        Arbitrary<String> token = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of(" ", "  ", "\t", "\n", "\r\n", "\n\n")),
                Tuple.of(20, Arbitraries.of("a", "b", "/", ">", "think", "🙂", "日本", "𝄞")),
                Tuple.of(1, Arbitraries.just(" ".repeat(2100))));
        return token.list().ofMaxSize(30).map(tokens -> String.join("", tokens));
    }
}
