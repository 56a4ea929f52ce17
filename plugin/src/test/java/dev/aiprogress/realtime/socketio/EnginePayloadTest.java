package dev.aiprogress.realtime.socketio;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnginePayloadTest {

    @Test
    void decode_packetsSeparatedByRecordSeparator_inOrder() {
        assertEquals(Optional.of(List.of("4hello", "2", "4world")), EnginePayload.decode("4hello\u001e2\u001e4world"));
        assertEquals(Optional.of(List.of("40{\"sid\":\"x\"}")), EnginePayload.decode("40{\"sid\":\"x\"}"));
        assertEquals(Optional.of(List.of("4€€€")), EnginePayload.decode("4€€€"));
    }

    @Test
    void decode_emptyPacketsBinaryOrNonPackets_empty() {
        for (String body : List.of("", "\u001e", "4a\u001e", "\u001e4a", "4a\u001e\u001e4b", "bAQIDBA==", "4a\u001ebAQID",
                "abc", "0{}", "1x", "9")) {
            assertTrue(EnginePayload.decode(body).isEmpty(), body);
        }
    }

    @Test
    void encode_joinsWithRecordSeparator() {
        assertEquals("4hello\u001e2\u001e4world", EnginePayload.encode(List.of("4hello", "2", "4world")));
        assertEquals("6", EnginePayload.encode(List.of("6")));
    }
}
