package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket cases of the official test suites {@code socketio/engine.io-protocol}
 * ({@code test-suite/test-suite.js}) and {@code socketio/socket.io-protocol}
 * ({@code test-suite/test-suite.js}), rewritten as JUnit tests against our endpoint, with the
 * suites' server settings (pingInterval 300 ms, maxPayload 1,000,000; pingTimeout 200 ms only where a case waits for it) and
 * Engine.IO v4 ({@code EIO=4}: the server pings, the client pongs). Connection state recovery is
 * off here (replay window 0), as in the suites' reference server, so the CONNECT reply is exactly
 * {@code 40{"sid":..}}. Our server needs a known user, so sockets send the cookie {@code sid=sid-proto}.
 *
 * <p>Cases left out, and why:
 * <ul>
 * <li>every HTTP long-polling case and every upgrade case: they are in
 *     {@code realtime.servlet.PollingProtocolTest}, over real HTTP and WebSocket clients;</li>
 * <li>binary packets (Engine.IO binary frames, Socket.IO {@code 45x-}/{@code 46x-} attachments):
 *     the server neither sends nor accepts binary; {@code 45..} is refused (asserted below);</li>
 * <li>custom namespaces ({@code 40/custom,} connect, payload, disconnect from {@code /custom}):
 *     the server has only {@code /}; other namespaces get {@code Invalid namespace} (asserted);</li>
 * <li>the echo behaviour of the suites' reference server ({@code 4hello} echoed, {@code 42["auth",..]}
 *     after CONNECT, {@code message-back}, {@code message-with-ack}): application logic of the
 *     reference server, not protocol; our equivalent is the {@code cancel} event with an ack.</li>
 * </ul>
 */
class ProtocolSuiteTest {

    static final Pattern OPEN = Pattern.compile(
            "0\\{\"sid\":\"[A-Za-z0-9_-]+\",\"upgrades\":\\[],\"pingInterval\":300,\"pingTimeout\":60000,\"maxPayload\":1000000}");
    /** The suites' own heartbeat, only for the one case that waits for a ping timeout. */
    static final Pattern SUITE_OPEN = Pattern.compile(
            "0\\{\"sid\":\"[A-Za-z0-9_-]+\",\"upgrades\":\\[],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}");
    static final Pattern CONNECT_REPLY = Pattern.compile("40\\{\"sid\":\"[A-Za-z0-9_-]+\"}");
    static RealtimeJetty server;

    @BeforeAll
    static void start() throws Exception {
        // pings as often as the suites send them, but a pong may come late: on a loaded machine a
        // 200 ms pong deadline closes sockets in the middle of unrelated cases
        server = new RealtimeJetty(RealtimeOptions.defaults()
                .withHeartbeat(Duration.ofMillis(300), Duration.ofSeconds(60))
                .withReplay(Duration.ofSeconds(1), 0, 0), TaskControl.NONE);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static WsClient open(String query) throws Exception {
        return new WsClient(server.wsUrl("/socket.io/" + query), Map.of("Cookie", "sid=sid-proto"));
    }

    /** After the open packet; answers pings itself (the heartbeat cases below do it by hand). */
    static WsClient handshaken() throws Exception {
        WsClient c = open("?EIO=4&transport=websocket").autoPong();
        assertTrue(OPEN.matcher(c.next()).matches());
        return c;
    }

    static WsClient connected() throws Exception {
        WsClient c = handshaken();
        c.send("40");
        assertTrue(CONNECT_REPLY.matcher(c.nextNonPing()).matches());
        return c;
    }

    // ---- Engine.IO protocol, WebSocket ----

    @Test
    void handshake_websocket_successfullyOpensASession() throws Exception {
        try (WsClient c = handshaken()) {
            assertTrue(c.isOpen());
        }
    }

    @Test
    void handshake_invalidEioQueryParameter_fails() throws Exception {
        for (String query : new String[] {"?transport=websocket", "?EIO=abc&transport=websocket"}) {
            try (WsClient c = open(query)) {
                assertEquals("1002 unsupported protocol version or transport", c.awaitClose());
            }
        }
    }

    @Test
    void handshake_invalidTransportQueryParameter_fails() throws Exception {
        for (String query : new String[] {"?EIO=4", "?EIO=4&transport=abc"}) {
            try (WsClient c = open(query)) {
                assertEquals("1002 unsupported protocol version or transport", c.awaitClose());
            }
        }
    }

    @Test
    void message_invalidPacketFormat_closesTheSession() throws Exception {
        try (WsClient c = handshaken()) {
            c.send("abc");
            assertEquals("1002 parse error", c.awaitClose());
        }
    }

    @Test
    void heartbeat_sendsPingPongPackets() throws Exception {
        // the client answers each "2" with "3" the moment it reads it (autoPong)
        try (WsClient c = handshaken()) {
            for (int i = 0; i < 3; i++) {
                assertEquals("2", c.next());
            }
            assertTrue(c.isOpen());
        }
    }

    @Test
    void heartbeat_noPong_closesTheSessionUponPingTimeout() throws Exception {
        // a server of its own with the suites' 300/200 ms: this case waits for the timeout to happen
        try (RealtimeJetty suite = new RealtimeJetty(RealtimeOptions.defaults()
                .withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200))
                .withReplay(Duration.ofSeconds(1), 0, 0), TaskControl.NONE);
             WsClient c = new WsClient(suite.wsUrl("/socket.io/?EIO=4&transport=websocket"), Map.of("Cookie", "sid=sid-proto"))) {
            assertTrue(SUITE_OPEN.matcher(c.next()).matches());
            assertEquals("2", c.next());
            assertEquals("1008 ping timeout", c.awaitClose());
        }
    }

    @Test
    void close_clientClosePacket_forcefullyClosesTheSession() throws Exception {
        try (WsClient c = handshaken()) {
            c.send("1");
            assertEquals("1000 client close", c.awaitClose());
        }
    }

    // ---- Socket.IO protocol ----

    @Test
    void connect_mainNamespace_isAllowed() throws Exception {
        try (WsClient c = connected()) {
            assertTrue(c.isOpen());
        }
    }

    @Test
    void connect_mainNamespaceWithPayload_isAllowed() throws Exception {
        try (WsClient c = handshaken()) {
            c.send("40{\"token\":\"123\"}");
            assertTrue(CONNECT_REPLY.matcher(c.nextNonPing()).matches());
        }
    }

    @Test
    void connect_unknownNamespace_isDisallowed() throws Exception {
        try (WsClient c = handshaken()) {
            c.send("40/random");
            assertEquals("44/random,{\"message\":\"Invalid namespace\"}", c.nextNonPing());
        }
    }

    @Test
    void connect_invalidHandshake_closes() throws Exception {
        try (WsClient c = handshaken()) {
            c.send("4abc");
            assertEquals("1002 parse error", c.awaitClose());
        }
    }

    @Test
    void disconnect_fromMainNamespace_closes() throws Exception {
        try (WsClient c = connected()) {
            c.send("41");
            assertEquals("1000 client namespace disconnect", c.awaitClose());
        }
    }

    @Test
    void message_plainTextPacketWithAck_isAcked() throws Exception {
        try (WsClient c = connected()) {
            c.send("42456[\"cancel\",{\"task_id\":\"t\"}]");
            assertEquals("43456[{\"cancelled\":false}]", c.nextNonPing());
        }
    }

    @Test
    void message_binaryAttachments_closes() throws Exception {
        try (WsClient c = connected()) {
            c.send("452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertEquals("1002 parse error", c.awaitClose());
        }
    }

    @Test
    void message_unknownPacketType_closes() throws Exception {
        try (WsClient c = connected()) {
            c.send("4abc");
            assertEquals("1002 parse error", c.awaitClose());
        }
    }

    @Test
    void message_invalidPayloadFormat_closes() throws Exception {
        try (WsClient c = connected()) {
            c.send("42{}");
            assertEquals("1002 parse error", c.awaitClose());
        }
    }

    @Test
    void message_invalidAckId_closes() throws Exception {
        try (WsClient c = connected()) {
            c.send("42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
            assertEquals("1002 parse error", c.awaitClose());
        }
    }
}
