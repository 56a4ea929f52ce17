package dev.aiprogress.event;

import jakarta.json.bind.Jsonb;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link EventWriter} writes exactly what JSON-B writes, for any event. */
class EventWriterPropertyTest {

    private static EventJson json;

    @BeforeContainer
    static void openJson() {
        json = new EventJson();
    }

    @AfterContainer
    static void closeJson() throws Exception {
        json.close();
    }

    @Property
    void toJson_anyEvent_equalsJsonB(@ForAll("events") ProgressEvent event) {
        assertEquals(json.toJson(event), EventWriter.toJson(event));
    }

    @Property
    void appendJson_anyEventAfterOtherText_appendsJsonB(@ForAll("events") ProgressEvent event) {
        StringBuilder reused = new StringBuilder("42[\"ai_progress\",");
        assertEquals("42[\"ai_progress\"," + json.toJson(event), EventWriter.appendJson(event, reused).toString());
    }

    /** What the T11 benchmark measures: the String's UTF-8 is what JSON-B writes to a stream. */
    @Property
    void toJsonUtf8_anyEvent_equalsJsonBWrittenToAStream(@ForAll("events") ProgressEvent event) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        Jsonb jsonb = json.jsonb();
        jsonb.toJson(event, stream);
        assertArrayEquals(stream.toByteArray(), EventWriter.toJson(event).getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<ProgressEvent> events() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, anyFields()),
                Tuple.of(2, factoryMade()),
                Tuple.of(1, merged()));
    }

    /** Every field of the record independently present or absent (beyond what the factories make). */
    private Arbitrary<ProgressEvent> anyFields() {
        Arbitrary<Object[]> head = Combinators.combine(
                Arbitraries.of(EventType.class), optionalText(), Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.3),
                optionalText(), text(), Arbitraries.longs().greaterOrEqual(1), text(), optionalText())
                .as((type, text, partial, message, taskId, seq, timestamp, reasoning) ->
                        new Object[] {type, text, partial, message, taskId, seq, timestamp, reasoning});
        Arbitrary<Object[]> tail = Combinators.combine(
                usage().injectNull(0.5), optionalText(), optionalText(), optionalText(), optionalLong(), optionalLong(),
                tool().injectNull(0.5), text().list().ofMaxSize(3).injectNull(0.5))
                .as((usage, provider, model, finishReason, durationMs, reasoningMs, tool, warnings) ->
                        new Object[] {usage, provider, model, finishReason, durationMs, reasoningMs, tool, warnings});
        return Combinators.combine(head, tail, optionalText(), optionalText()).as((h, t, error, code) ->
                new ProgressEvent((EventType) h[0], (String) h[1], (Boolean) h[2], (String) h[3], (String) h[4],
                        (Long) h[5], (String) h[6], (String) h[7], (ProgressEvent.Usage) t[0], (String) t[1],
                        (String) t[2], (String) t[3], (Long) t[4], (Long) t[5], (ProgressEvent.ToolInfo) t[6],
                        castList(t[7]), error, code));
    }

    private Arbitrary<ProgressEvent> factoryMade() {
        Arbitrary<Long> seq = Arbitraries.longs().between(1, 100_000);
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(EventType.REASONING, EventType.TEXT), seq, text())
                        .as((type, s, text) -> ProgressEvent.delta(type, "t-1", s, "2026-11-24T10:15:30.123Z", text)),
                Combinators.combine(seq, optionalText())
                        .as((s, message) -> ProgressEvent.thinking("t-1", s, "2026-11-24T10:15:30.123Z", message)),
                Combinators.combine(seq, tool())
                        .as((s, tool) -> ProgressEvent.toolCall("t-1", s, "2026-11-24T10:15:30.123Z", tool)),
                Combinators.combine(seq, text(), optionalText(), usage(), text(), text(), optionalLong(),
                                text().list().ofMaxSize(2))
                        .as((s, text, reasoning, usage, provider, finish, reasoningMs, warnings) ->
                                ProgressEvent.completion("t-1", s, "2026-11-24T10:15:30.123Z", text, reasoning, usage,
                                        provider, "model-1", finish, 1500, reasoningMs, warnings)),
                Combinators.combine(seq, optionalText())
                        .as((s, message) -> ProgressEvent.complete("t-1", s, "2026-11-24T10:15:30.123Z", message)),
                Combinators.combine(seq, text(), text(), optionalText(), optionalText())
                        .as((s, message, error, partialText, partialReasoning) -> ProgressEvent.error("t-1", s,
                                "2026-11-24T10:15:30.123Z", message, error, "AIP-012", partialText, partialReasoning)));
    }

    private Arbitrary<ProgressEvent> merged() {
        return Combinators.combine(Arbitraries.of(EventType.REASONING, EventType.TEXT), text(), text())
                .as((type, first, second) -> ProgressEvent.delta(type, "t-9", 5, "2026-11-24T10:15:30.100Z", first)
                        .mergedWith(ProgressEvent.delta(type, "t-9", 6, "2026-11-24T10:15:30.200Z", second)));
    }

    private Arbitrary<ProgressEvent.Usage> usage() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(), optionalLong())
                .as(ProgressEvent.Usage::new);
    }

    private Arbitrary<ProgressEvent.ToolInfo> tool() {
        return Combinators.combine(text(), text(), text()).as(ProgressEvent.ToolInfo::new);
    }

    private Arbitrary<Long> optionalLong() {
        return Arbitraries.longs().injectNull(0.4);
    }

    private Arbitrary<String> optionalText() {
        return text().injectNull(0.4);
    }

    /** Text built from pieces that exercise every escaping and encoding branch. */
    private Arbitrary<String> text() {
        Arbitrary<String> ascii = Arbitraries.chars().range(' ', '~').map(String::valueOf);
        Arbitrary<String> special = Arbitraries.of("\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\u0000", "\u0001",
                "\u000b", "\u001f", "\u007f", "\u0080", "\u00e9", "\u07ff", "\u0800", "\u2028", "\u2029", "\uffff",
                "\uD83D\uDE00", "\uD834\uDD1E", "\uDBFF\uDFFF", "\uD800", "\uDC00", "</script>");
        Arbitrary<String> anyChar = Arbitraries.chars().all().map(String::valueOf);
        return Arbitraries.frequencyOf(Tuple.of(6, ascii), Tuple.of(3, special), Tuple.of(2, anyChar))
                .list().ofMaxSize(40).map(pieces -> String.join("", pieces));
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object list) {
        return (List<String>) list;
    }
}
