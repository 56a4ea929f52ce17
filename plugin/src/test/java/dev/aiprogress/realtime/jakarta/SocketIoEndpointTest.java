package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Socket.IO endpoint in embedded Jetty, driven by hand with a real WebSocket client; exact frames. */
class SocketIoEndpointTest {

    static final String TS = "2026-11-24T10:15:30.123Z";
    static final Pattern OPEN = Pattern.compile(
            "0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    static final Pattern CONNECTED = Pattern.compile("40\\{\"sid\":\"([A-Za-z0-9_-]{20})\",\"pid\":\"([A-Za-z0-9_-]{22})\"}");

    static final List<String> cancelled = new CopyOnWriteArrayList<>();
    static RealtimeJetty server;

    @BeforeAll
    static void start() throws Exception {
        server = new RealtimeJetty(RealtimeOptions.defaults(), new TaskControl() {
            @Override
            public boolean cancel(String userId, String taskId) {
                cancelled.add(userId + "/" + taskId);
                return true;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String url() {
        return server.wsUrl("/socket.io/?EIO=4&transport=websocket");
    }

    /** Opens a socket and CONNECTs with auth.sid; returns the client after the CONNECT reply. */
    static WsClient connected(String sid) throws Exception {
        WsClient c = WsClient.connect(url());
        assertTrue(OPEN.matcher(c.next()).matches());
        c.send("40{\"sid\":\"" + sid + "\"}");
        assertTrue(CONNECTED.matcher(c.nextNonPing()).matches());
        return c;
    }

    @Test
    void open_socketIoPath_sendsExactOpenPacket() throws Exception {
        try (WsClient c = WsClient.connect(url())) {
            assertTrue(OPEN.matcher(c.next()).matches());
        }
    }

    @Test
    void connect_withKnownAuthSid_repliesSidAndPid() throws Exception {
        try (WsClient c = connected("sid-alice")) {
            assertTrue(c.isOpen());
        }
    }

    @Test
    void connect_withSessionCookieJettySuffix_identifiesUser() throws Exception {
        try (WsClient c = new WsClient(url(), Map.of("Cookie", "theme=dark; sid=sid-bob.node0"))) {
            c.next();
            c.send("40");
            Matcher m = CONNECTED.matcher(c.nextNonPing());
            assertTrue(m.matches());
            server.hub.publish("bob", ProgressEvent.thinking("cookie-task", 1, TS, "Thinking…"));
            assertTrue(c.nextNonPing().startsWith("42[\"ai_progress\",{\"type\":\"thinking\""));
        }
    }

    @Test
    void connect_withTokenHeader_identifiesUser() throws Exception {
        try (WsClient c = new WsClient(url(), Map.of("Authorization", "token key:secret"))) {
            c.next();
            c.send("40");
            assertTrue(CONNECTED.matcher(c.nextNonPing()).matches());
        }
    }

    @Test
    void connect_unknownUser_repliesUnauthorizedConnectError() throws Exception {
        try (WsClient c = WsClient.connect(url())) {
            c.next();
            c.send("40{\"sid\":\"nobody\"}");
            assertEquals("44{\"message\":\"Unauthorized\"}", c.nextNonPing());
            assertTrue(c.isOpen());
        }
    }

    @Test
    void connect_unknownNamespace_repliesInvalidNamespace() throws Exception {
        try (WsClient c = WsClient.connect(url())) {
            c.next();
            c.send("40/x,{\"sid\":\"sid-alice\"}");
            assertEquals("44/x,{\"message\":\"Invalid namespace\"}", c.nextNonPing());
        }
    }

    @Test
    void publish_toConnectedUser_framesEventWithTrailingOffset() throws Exception {
        try (WsClient c = connected("sid-framer")) {
            ProgressEvent e = ProgressEvent.delta(EventType.REASONING, "frame-task", 2, TS, "Let me think");
            server.hub.publish("framer", e);
            String frame = c.nextNonPing();
            Matcher m = Pattern.compile("42\\[\"ai_progress\",(\\{.*}),\"([0-9]+)\"]").matcher(frame);
            assertTrue(m.matches(), frame);
            assertEquals("{\"type\":\"reasoning\",\"text\":\"Let me think\",\"partial\":true,\"task_id\":\"frame-task\","
                    + "\"seq\":2,\"timestamp\":\"" + TS + "\"}", m.group(1));
        }
    }

    @Test
    void clientCancelEvent_withAck_reachesTaskControlAndIsAcked() throws Exception {
        try (WsClient c = connected("sid-canceller")) {
            c.send("4212[\"cancel\",{\"task_id\":\"t-9\"}]");
            assertEquals("4312[{\"cancelled\":true}]", c.nextNonPing());
            assertTrue(cancelled.contains("canceller/t-9"));
        }
    }

    @Test
    void firstPacketNotConnect_closesSocket() throws Exception {
        try (WsClient c = WsClient.connect(url())) {
            c.next();
            c.send("42[\"cancel\",{}]");
            assertEquals("1002 packet before connect or for an unknown namespace", c.awaitClose());
        }
    }

    @Test
    void wrongEngineIoVersion_closesSocket() throws Exception {
        try (WsClient c = WsClient.connect(server.wsUrl("/socket.io/?EIO=3&transport=websocket"))) {
            assertEquals("1002 unsupported protocol version or transport", c.awaitClose());
        }
    }

    @Test
    void foreignOrigin_closesBeforeAnyFrame() throws Exception {
        try (WsClient c = new WsClient(url(), Map.of("Origin", "http://evil.example"))) {
            assertEquals("1008 origin not allowed", c.awaitClose());
        }
    }

    @Test
    void sameHostOrigin_isAccepted() throws Exception {
        try (WsClient c = new WsClient(url(), Map.of("Origin", "http://127.0.0.1:" + server.port()))) {
            assertTrue(OPEN.matcher(c.next()).matches());
        }
    }
}
