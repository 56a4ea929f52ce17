package dev.aiprogress.cluster;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnvelopeTest {

    static final JsonProvider JSON = JsonProvider.provider();
    static final String TS = "2026-11-24T10:15:30.123Z";

    @Test
    void encode_textDelta_exactWireText() {
        ProgressEvent e = ProgressEvent.delta(EventType.TEXT, "t1", 2, TS, "Hi \"you\"\n");
        assertEquals("{\"v\":1,\"node\":\"n1\",\"user\":\"al\\\"ice\",\"event\":{\"type\":\"text\",\"text\":\"Hi \\\"you\\\"\\n\","
                        + "\"partial\":true,\"task_id\":\"t1\",\"seq\":2,\"timestamp\":\"" + TS + "\"}}",
                Envelope.encode(new Envelope.Event("n1", "al\"ice", e)));
    }

    @Test
    void encode_cancel_exactWireText() {
        assertEquals("{\"v\":1,\"node\":\"n1\",\"user\":\"bob\",\"cancel\":\"t9\"}",
                Envelope.encode(new Envelope.Cancel("n1", "bob", "t9")));
    }

    @Test
    void decode_everyEventKind_roundTripsToEqualRecords() {
        List<ProgressEvent> events = List.of(
                ProgressEvent.thinking("t", 1, TS, "Thinking…"),
                ProgressEvent.delta(EventType.REASONING, "t", 2, TS, "ünï 🎉 \u0001"),
                ProgressEvent.toolCall("t", 3, TS, new ProgressEvent.ToolInfo("c1", "search", "{\"q\":\"x\"}")),
                ProgressEvent.completion("t", 4, TS, "answer", "why", new ProgressEvent.Usage(20, 60, 80, 30L),
                        "deepseek", "deepseek-reasoner", "stop", 1234, 56L, List.of("reasoning_unclosed")),
                ProgressEvent.completion("t", 4, TS, "answer", null, new ProgressEvent.Usage(1, 2, 3, null),
                        "p", "m", "stop", 0, null, List.of()),
                ProgressEvent.complete("t", 5, TS, "Task finished successfully"),
                ProgressEvent.error("t", 6, TS, "failed", "upstream", "AIP-012", "part", "reason"));
        for (ProgressEvent e : events) {
            Envelope.Event sent = new Envelope.Event("node-a", "alice", e);
            assertEquals(Optional.of(sent), Envelope.decode(Envelope.encode(sent), JSON), e.toString());
        }
        Envelope.Cancel cancel = new Envelope.Cancel("node-a", "bob", "t9");
        assertEquals(Optional.of(cancel), Envelope.decode(Envelope.encode(cancel), JSON));
    }

    @Test
    void decode_malformedOrOtherVersion_isEmpty() {
        for (String text : List.of("", "nope", "[]", "{\"v\":2,\"node\":\"n\",\"user\":\"u\",\"cancel\":\"t\"}",
                "{\"v\":1,\"node\":\"n\",\"user\":\"u\"}", "{\"v\":1,\"node\":\"n\",\"user\":\"u\",\"event\":{\"type\":\"dance\","
                        + "\"task_id\":\"t\",\"seq\":1,\"timestamp\":\"" + TS + "\"}}",
                "{\"v\":1,\"node\":\"n\",\"user\":\"u\",\"event\":{\"type\":\"text\",\"task_id\":\"t\",\"seq\":0,"
                        + "\"timestamp\":\"" + TS + "\"}}")) {
            assertEquals(Optional.empty(), Envelope.decode(text, JSON), text);
        }
    }
}
