package dev.aiprogress.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the vectors cannot show: identity of passed strings, malformed input, repeated finish. */
class ReasoningSplitterTest {

    private final List<Chunk> chunks = new ArrayList<>();

    @Test
    void accept_plainAnswerDelta_passesTheSameStringThrough() {
        ReasoningSplitter splitter = new ReasoningSplitter(TagRules.DEFAULT, chunks::add);
        String first = "Hello";
        String second = " world <b>";

        splitter.accept(new Delta.Content(first));
        splitter.accept(new Delta.Content(second));

        assertEquals(List.of(new Chunk.Text("Hello"), new Chunk.Text(" world <b>")), chunks);
        assertSame(first, ((Chunk.Text) chunks.get(0)).text());
        assertSame(second, ((Chunk.Text) chunks.get(1)).text());
    }

    @Test
    void accept_nativeReasoningDelta_passesTheSameStringThrough() {
        ReasoningSplitter splitter = new ReasoningSplitter(TagRules.DEFAULT, chunks::add);
        String reasoning = "Plan: step one.";

        splitter.accept(new Delta.Reasoning(reasoning));

        assertSame(reasoning, ((Chunk.Reasoning) chunks.get(0)).text());
    }

    @Test
    void accept_highSurrogateAtDeltaEnd_isHeldUntilItsLowHalf() {
        ReasoningSplitter splitter = new ReasoningSplitter(TagRules.DEFAULT, chunks::add);

        splitter.accept(new Delta.Content("a\uD83D"));
        List<Chunk> afterFirst = List.copyOf(chunks);
        splitter.accept(new Delta.Content("\uDE42"));

        assertEquals(List.of(new Chunk.Text("a")), afterFirst);
        assertEquals(List.of(new Chunk.Text("a"), new Chunk.Text("\uD83D\uDE42")), chunks);
    }

    @Test
    void finish_loneHighSurrogateAtEnd_isReleasedVerbatim() {
        ReasoningSplitter splitter = new ReasoningSplitter(TagRules.DEFAULT, chunks::add);

        splitter.accept(new Delta.Content("a\uD83D"));
        splitter.finish();

        assertEquals(List.of(new Chunk.Text("a"), new Chunk.Text("\uD83D")), chunks);
    }

    @Test
    void finish_calledTwice_emitsNothingMore() {
        ReasoningSplitter splitter = new ReasoningSplitter(TagRules.DEFAULT, chunks::add);

        splitter.accept(new Delta.Content("<think>a </thi"));
        splitter.finish();
        splitter.finish();

        assertEquals(List.of(new Chunk.Reasoning("a"), new Chunk.Reasoning(" </thi")), chunks);
    }

    @Test
    void accept_providerStateOnly_emitsNothingAndLeavesNothingUnclosed() {
        ReasoningSplitter splitter = new ReasoningSplitter(TagRules.DEFAULT, chunks::add);

        splitter.accept(new Delta.ProviderState("{\"signature\":\"s\"}"));
        splitter.finish();

        assertEquals(List.of(), chunks);
        assertEquals(false, splitter.reasoningUnclosed());
    }

    @Test
    void reasoningUnclosed_startInReasoningWithoutContent_isFalse() {
        ReasoningSplitter splitter = new ReasoningSplitter(SplitterVector.START_IN_REASONING, chunks::add);

        splitter.accept(new Chunk.Finish("stop"));
        splitter.finish();

        assertEquals(List.of(new Chunk.Finish("stop")), chunks);
        assertEquals(false, splitter.reasoningUnclosed());
    }

    @Test
    void accept_null_isRejected() {
        ReasoningSplitter splitter = new ReasoningSplitter(TagRules.DEFAULT, chunks::add);

        NullPointerException e = assertThrows(NullPointerException.class, () -> splitter.accept(null));

        assertEquals("delta", e.getMessage());
    }
}
