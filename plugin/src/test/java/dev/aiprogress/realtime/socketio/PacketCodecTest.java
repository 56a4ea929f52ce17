package dev.aiprogress.realtime.socketio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketCodecTest {

    @Test
    void encode_openPacket_isExactHandshakeFrame() {
        assertEquals("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
                EnginePacket.encode(EnginePacket.open("abc", 25_000, 20_000, 1_000_000)));
    }

    @Test
    void encode_engineControlPackets_areSingleDigits() {
        assertEquals("1", EnginePacket.encode(new EnginePacket.Close()));
        assertEquals("2", EnginePacket.encode(new EnginePacket.Ping("")));
        assertEquals("3", EnginePacket.encode(new EnginePacket.Pong("")));
        assertEquals("3probe", EnginePacket.encode(new EnginePacket.Pong("probe")));
        assertEquals("4hello", EnginePacket.encode(new EnginePacket.Message("hello")));
        assertEquals("5", EnginePacket.encode(new EnginePacket.Upgrade()));
        assertEquals("6", EnginePacket.encode(new EnginePacket.Noop()));
    }

    @Test
    void decode_engineFrames_giveTheirPackets() {
        assertEquals(Optional.of(new EnginePacket.Pong("")), EnginePacket.decode("3"));
        assertEquals(Optional.of(new EnginePacket.Ping("probe")), EnginePacket.decode("2probe"));
        assertEquals(Optional.of(new EnginePacket.Message("0")), EnginePacket.decode("40"));
        assertEquals(Optional.of(new EnginePacket.Close()), EnginePacket.decode("1"));
        assertEquals(Optional.of(new EnginePacket.Noop()), EnginePacket.decode("6"));
        assertEquals(Optional.of(new EnginePacket.Upgrade()), EnginePacket.decode("5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "0{}", "7", "9x", "1x", "5x", "6x", "b4AQID"})
    void decode_malformedEngineFrame_isRefused(String frame) {
        assertTrue(EnginePacket.decode(frame).isEmpty());
    }

    @Test
    void encode_socketPackets_areExactFrames() {
        assertEquals("0{\"sid\":\"s1\"}", SocketPacket.encode(new SocketPacket.Connect("/", Optional.of("{\"sid\":\"s1\"}"))));
        assertEquals("0{\"sid\":\"s1\",\"pid\":\"p1\"}",
                SocketPacket.encode(new SocketPacket.Connect("/", Optional.of("{\"sid\":\"s1\",\"pid\":\"p1\"}"))));
        assertEquals("1", SocketPacket.encode(new SocketPacket.Disconnect("/")));
        assertEquals("1/x,", SocketPacket.encode(new SocketPacket.Disconnect("/x")));
        assertEquals("4{\"message\":\"Unauthorized\"}",
                SocketPacket.encode(new SocketPacket.ConnectError("/", "{\"message\":\"Unauthorized\"}")));
        assertEquals("4/x,{\"message\":\"Invalid namespace\"}",
                SocketPacket.encode(new SocketPacket.ConnectError("/x", "{\"message\":\"Invalid namespace\"}")));
        assertEquals("3456[1,\"2\"]", SocketPacket.encode(new SocketPacket.Ack("/", 456, "[1,\"2\"]")));
        assertEquals("212[\"a\"]", SocketPacket.encode(new SocketPacket.Event("/", OptionalLong.of(12), "[\"a\"]")));
    }

    @Test
    void event_withOffset_isAiProgressFrameWithTrailingStringOffset() {
        assertEquals("2[\"ai_progress\",{\"type\":\"text\"},\"17\"]",
                SocketPacket.event("ai_progress", "{\"type\":\"text\"}", Optional.of("17")));
        assertEquals("2[\"ai_progress\",{}]", SocketPacket.event("ai_progress", "{}", Optional.empty()));
    }

    @Test
    void event_reservedName_isNeverEmitted() {
        for (String name : SocketPacket.RESERVED_EVENTS) {
            assertThrows(IllegalArgumentException.class, () -> SocketPacket.event(name, "{}", Optional.empty()));
        }
    }

    @Test
    void decode_clientPackets_giveTheirRecords() {
        assertEquals(Optional.of(new SocketPacket.Connect("/", Optional.empty())), SocketPacket.decode("0"));
        assertEquals(Optional.of(new SocketPacket.Connect("/", Optional.of("{\"sid\":\"x\"}"))),
                SocketPacket.decode("0{\"sid\":\"x\"}"));
        assertEquals(Optional.of(new SocketPacket.Connect("/random", Optional.empty())), SocketPacket.decode("0/random"));
        assertEquals(Optional.of(new SocketPacket.Connect("/custom", Optional.empty())), SocketPacket.decode("0/custom,"));
        assertEquals(Optional.of(new SocketPacket.Disconnect("/")), SocketPacket.decode("1"));
        assertEquals(Optional.of(new SocketPacket.Event("/", OptionalLong.empty(), "[\"cancel\",{\"task_id\":\"t\"}]")),
                SocketPacket.decode("2[\"cancel\",{\"task_id\":\"t\"}]"));
        assertEquals(Optional.of(new SocketPacket.Event("/", OptionalLong.of(456), "[\"m\",1,\"2\",{\"3\":[false]}]")),
                SocketPacket.decode("2456[\"m\",1,\"2\",{\"3\":[false]}]"));
        assertEquals(Optional.of(new SocketPacket.Ack("/", 7, "[]")), SocketPacket.decode("37[]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "2{}", "2[]", "2[1]", "2abc[\"m\"]", "2[\"m\"", "0[]", "01", "1{}", "3[]",
            "51-[\"m\",{\"_placeholder\":true,\"num\":0}]", "61-0[]", "7", "2[\"m\"]x", "0{\"a\":01}",
            "2[\"m\",\"\u0001\"]", "21234567890123456789012[\"m\"]"})
    void decode_malformedOrBinarySocketPacket_isRefused(String text) {
        assertTrue(SocketPacket.decode(text).isEmpty(), text);
    }
}
