package dev.aiprogress.event;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exact wire text of every event kind (docs/CLIENT-PROTOCOL.md, "Events"). */
class EventJsonTest {

    private static final String TS = "2026-11-24T10:15:30.123Z";

    private static EventJson json;

    @BeforeAll
    static void openJson() {
        json = new EventJson();
    }

    @AfterAll
    static void closeJson() throws Exception {
        json.close();
    }

    @Test
    void timestamp_withNanos_printsUtcMillisTruncated() {
        assertEquals("2026-11-24T10:15:30.123Z", EventJson.timestamp(Instant.parse("2026-11-24T10:15:30.123987654Z")));
    }

    @Test
    void timestamp_zeroMillis_printsThreeZeros() {
        assertEquals("2026-11-24T10:15:30.000Z", EventJson.timestamp(Instant.parse("2026-11-24T10:15:30Z")));
    }

    @Test
    void timestamp_everyMillisecondAcrossSecondsAndYears_matchesTheFormatter() {
        java.time.format.DateTimeFormatter reference = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        java.util.SplittableRandom random = new java.util.SplittableRandom(6);
        // alternating seconds defeat the cached prefix; the bounds cover years 1970–2999 and 1969
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-86_400L, 32_503_680_000L), random.nextInt(1_000_000_000));
            assertEquals(reference.format(instant), EventJson.timestamp(instant), instant.toString());
            Instant sameSecond = instant.plusMillis(1);
            assertEquals(reference.format(sameSecond), EventJson.timestamp(sameSecond), sameSecond.toString());
        }
    }

    @Test
    void timestamp_offsetInput_printsUtc() {
        assertEquals("2026-11-24T08:00:00.005Z",
                EventJson.timestamp(java.time.OffsetDateTime.parse("2026-11-24T10:00:00.005+02:00").toInstant()));
    }

    @Test
    void toJson_reasoningDelta_writesPartialTrueInDeclarationOrder() {
        assertEquals("{\"type\":\"reasoning\",\"text\":\"Let me think\",\"partial\":true,\"task_id\":\"t-1\",\"seq\":2,"
                        + "\"timestamp\":\"" + TS + "\"}",
                json.toJson(ProgressEvent.delta(EventType.REASONING, "t-1", 2, TS, "Let me think")));
    }

    @Test
    void toJson_textDelta_writesLowerCaseType() {
        assertEquals("{\"type\":\"text\",\"text\":\"Hello\",\"partial\":true,\"task_id\":\"t-1\",\"seq\":7,"
                        + "\"timestamp\":\"" + TS + "\"}",
                json.toJson(ProgressEvent.delta(EventType.TEXT, "t-1", 7, TS, "Hello")));
    }

    @Test
    void toJson_thinking_writesMessageOnly() {
        assertEquals("{\"type\":\"thinking\",\"message\":\"Thinking...\",\"task_id\":\"t-1\",\"seq\":1,"
                        + "\"timestamp\":\"" + TS + "\"}",
                json.toJson(ProgressEvent.thinking("t-1", 1, TS, "Thinking...")));
    }

    @Test
    void toJson_thinkingWithoutMessage_omitsMessage() {
        assertEquals("{\"type\":\"thinking\",\"task_id\":\"t-1\",\"seq\":1,\"timestamp\":\"" + TS + "\"}",
                json.toJson(ProgressEvent.thinking("t-1", 1, TS, null)));
    }

    @Test
    void toJson_toolCall_writesToolObjectWithArgumentsAsString() {
        ProgressEvent event = ProgressEvent.toolCall("t-1", 4, TS,
                new ProgressEvent.ToolInfo("call_1", "get_weather", "{\"city\":\"Paris\"}"));
        assertEquals("{\"type\":\"tool_call\",\"task_id\":\"t-1\",\"seq\":4,\"timestamp\":\"" + TS + "\","
                        + "\"tool\":{\"id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}",
                json.toJson(event));
    }

    @Test
    void toJson_completionWithEverything_writesUsageWarningsAndTimings() {
        ProgressEvent event = ProgressEvent.completion("t-1", 9, TS, "The answer.", "Some thought.",
                new ProgressEvent.Usage(12, 30, 42, 20L), "deepseek", "deepseek-reasoner", "stop", 1500, 800L,
                List.of("reasoning_unclosed"));
        assertEquals("{\"type\":\"completion\",\"text\":\"The answer.\",\"partial\":false,\"task_id\":\"t-1\",\"seq\":9,"
                        + "\"timestamp\":\"" + TS + "\",\"reasoning\":\"Some thought.\","
                        + "\"usage\":{\"input_tokens\":12,\"output_tokens\":30,\"total_tokens\":42,\"reasoning_tokens\":20},"
                        + "\"provider\":\"deepseek\",\"model\":\"deepseek-reasoner\",\"finish_reason\":\"stop\","
                        + "\"duration_ms\":1500,\"reasoning_ms\":800,\"warnings\":[\"reasoning_unclosed\"]}",
                json.toJson(event));
    }

    @Test
    void toJson_completionWithoutOptionals_omitsThem() {
        ProgressEvent event = ProgressEvent.completion("t-1", 3, TS, "", null,
                new ProgressEvent.Usage(1, 2, 3, null), "scripted", "echo", "stop", 0, null, List.of());
        assertEquals("{\"type\":\"completion\",\"text\":\"\",\"partial\":false,\"task_id\":\"t-1\",\"seq\":3,"
                        + "\"timestamp\":\"" + TS + "\","
                        + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2,\"total_tokens\":3},"
                        + "\"provider\":\"scripted\",\"model\":\"echo\",\"finish_reason\":\"stop\",\"duration_ms\":0}",
                json.toJson(event));
    }

    @Test
    void toJson_complete_writesMessage() {
        assertEquals("{\"type\":\"complete\",\"message\":\"Done\",\"task_id\":\"t-1\",\"seq\":10,"
                        + "\"timestamp\":\"" + TS + "\"}",
                json.toJson(ProgressEvent.complete("t-1", 10, TS, "Done")));
    }

    @Test
    void toJson_error_writesCodeTextAndReasoning() {
        ProgressEvent event = ProgressEvent.error("t-1", 5, TS, "Upstream failed", "upstream_error", "AIP-012",
                "Partial answ", "Partial thought");
        assertEquals("{\"type\":\"error\",\"text\":\"Partial answ\",\"message\":\"Upstream failed\",\"task_id\":\"t-1\","
                        + "\"seq\":5,\"timestamp\":\"" + TS + "\",\"reasoning\":\"Partial thought\","
                        + "\"error\":\"upstream_error\",\"code\":\"AIP-012\"}",
                json.toJson(event));
    }

    @Test
    void toJson_errorWithoutPartials_omitsTextAndReasoning() {
        ProgressEvent event = ProgressEvent.error("t-1", 2, TS, "Timed out", "timeout", "AIP-003", null, null);
        assertEquals("{\"type\":\"error\",\"message\":\"Timed out\",\"task_id\":\"t-1\",\"seq\":2,"
                        + "\"timestamp\":\"" + TS + "\",\"error\":\"timeout\",\"code\":\"AIP-003\"}",
                json.toJson(event));
    }

    @Test
    void toJson_mergedDeltas_keepsConcatenatedTextAndLastSeq() {
        ProgressEvent merged = ProgressEvent.delta(EventType.TEXT, "t-1", 3, "2026-11-24T10:15:30.100Z", "Hel")
                .mergedWith(ProgressEvent.delta(EventType.TEXT, "t-1", 4, "2026-11-24T10:15:30.200Z", "lo"));
        assertEquals("{\"type\":\"text\",\"text\":\"Hello\",\"partial\":true,\"task_id\":\"t-1\",\"seq\":4,"
                        + "\"timestamp\":\"2026-11-24T10:15:30.200Z\"}",
                json.toJson(merged));
    }

    @Test
    void toJson_quotesAndBackslash_escapesThem() {
        assertEquals(delta("say \\\"hi\\\" to C:\\\\dir/sub"), json.toJson(textEvent("say \"hi\" to C:\\dir/sub")));
    }

    @Test
    void toJson_namedControlCharacters_useShortEscapes() {
        assertEquals(delta("\\b\\f\\n\\r\\t"), json.toJson(textEvent("\b\f\n\r\t")));
    }

    @Test
    void toJson_otherControlCharacters_useLowerCaseUnicodeEscapes() {
        assertEquals(delta("\\u0000\\u0001\\u000b\\u001a\\u001f"), json.toJson(textEvent("\u0000\u0001\u000b\u001a\u001f")));
    }

    @Test
    void toJson_deleteAndC1Controls_areWrittenRaw() {
        assertEquals(delta("\u007f\u0080\u009f"), json.toJson(textEvent("\u007f\u0080\u009f")));
    }

    @Test
    void toJson_lineAndParagraphSeparators_areWrittenRaw() {
        assertEquals(delta("a\u2028b\u2029c"), json.toJson(textEvent("a\u2028b\u2029c")));
    }

    @Test
    void toJson_astralCharacters_areWrittenRawAsSurrogatePairs() {
        assertEquals(delta("\uD83D\uDE00 \uD834\uDD1E"), json.toJson(textEvent("\uD83D\uDE00 \uD834\uDD1E")));
    }

    @Test
    void toJson_loneSurrogates_arePassedThroughInTheString() {
        assertEquals(delta("\uDC00x\uD800"), json.toJson(textEvent("\uDC00x\uD800")));
    }

    private static ProgressEvent textEvent(String text) {
        return ProgressEvent.delta(EventType.TEXT, "t-1", 1, TS, text);
    }

    private static String delta(String escapedText) {
        return "{\"type\":\"text\",\"text\":\"" + escapedText + "\",\"partial\":true,\"task_id\":\"t-1\",\"seq\":1,"
                + "\"timestamp\":\"" + TS + "\"}";
    }
}
