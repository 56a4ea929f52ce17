package dev.aiprogress.realtime.jakarta;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The handshake's query string is parsed by the plugin, not through the container's parameter map. */
class HandshakeQueryTest {

    @Test
    void query_socketIoUrl_firstValueOfEachParameter() {
        assertEquals(Map.of("EIO", "4", "transport", "websocket", "t", "a b"),
                HandshakeConfigurator.query("EIO=4&transport=websocket&t=a+b&EIO=3"));
    }

    @Test
    void query_absentOrEmpty_emptyMap() {
        assertEquals(Map.of(), HandshakeConfigurator.query(null));
        assertEquals(Map.of(), HandshakeConfigurator.query(""));
    }

    @Test
    void query_escapesAndBareNames_decodedOrIgnoredWhenBroken() {
        assertEquals(Map.of("sid", "x/y", "flag", ""), HandshakeConfigurator.query("sid=x%2Fy&flag&&bad=%zz"));
    }
}
