package dev.aiprogress.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EventWriterTest {

    private static final String TS = "2026-11-24T10:15:30.123Z";

    @Test
    void toJson_textDelta_writesWireText() {
        assertEquals("{\"type\":\"text\",\"text\":\"Hi\\n\\\"you\\\"\",\"partial\":true,\"task_id\":\"t-1\",\"seq\":12,"
                        + "\"timestamp\":\"" + TS + "\"}",
                EventWriter.toJson(ProgressEvent.delta(EventType.TEXT, "t-1", 12, TS, "Hi\n\"you\"")));
    }

    @Test
    void toJson_toolCall_writesNestedToolObject() {
        ProgressEvent event = ProgressEvent.toolCall("t-1", 4, TS, new ProgressEvent.ToolInfo("c1", "f", "{}"));
        assertEquals("{\"type\":\"tool_call\",\"task_id\":\"t-1\",\"seq\":4,\"timestamp\":\"" + TS + "\","
                + "\"tool\":{\"id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"}}", EventWriter.toJson(event));
    }

    @Test
    void toJson_multiByteAndAstral_writtenAsTheyAreAndEncodeToUtf8() {
        String json = EventWriter.toJson(ProgressEvent.delta(EventType.REASONING, "t", 1, TS, "é中\uD83D\uDE00"));
        assertArrayEquals(("{\"type\":\"reasoning\",\"text\":\"é中\uD83D\uDE00\",\"partial\":true,\"task_id\":\"t\","
                + "\"seq\":1,\"timestamp\":\"" + TS + "\"}").getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void toJson_loneSurrogates_writtenAsTheyAreAndBecomeQuestionMarksInUtf8() {
        String json = EventWriter.toJson(ProgressEvent.delta(EventType.TEXT, "t", 1, TS, "a\uD800b\uDC00"));
        assertEquals("{\"type\":\"text\",\"text\":\"a\uD800b\uDC00\",\"partial\":true,\"task_id\":\"t\",\"seq\":1,"
                + "\"timestamp\":\"" + TS + "\"}", json);
        assertEquals("{\"type\":\"text\",\"text\":\"a?b?\",\"partial\":true,\"task_id\":\"t\",\"seq\":1,"
                + "\"timestamp\":\"" + TS + "\"}", new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Test
    void toJson_extremeNumbers_writeLikeLongToString() {
        ProgressEvent event = ProgressEvent.completion("t", Long.MAX_VALUE, TS, "", null,
                new ProgressEvent.Usage(Long.MIN_VALUE, -7, 0, null), "p", "m", "stop", 10, -1L, null);
        assertEquals("{\"type\":\"completion\",\"text\":\"\",\"partial\":false,\"task_id\":\"t\",\"seq\":9223372036854775807,"
                        + "\"timestamp\":\"" + TS + "\",\"usage\":{\"input_tokens\":-9223372036854775808,\"output_tokens\":-7,"
                        + "\"total_tokens\":0},\"provider\":\"p\",\"model\":\"m\",\"finish_reason\":\"stop\",\"duration_ms\":10,"
                        + "\"reasoning_ms\":-1}",
                EventWriter.toJson(event));
    }
}
