package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.PlainJsonSession;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.testsupport.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The plain JSON endpoint at /ai-progress/ws in embedded Jetty; exact frames. */
class PlainJsonEndpointTest {

    static final String TS = "2026-11-24T10:15:30.123Z";
    static RealtimeJetty server;

    @BeforeAll
    static void start() throws Exception {
        server = new RealtimeJetty(RealtimeOptions.defaults(), new TaskControl() {
            @Override
            public boolean cancel(String userId, String taskId) {
                return taskId.equals("mine");
            }

            @Override
            public Optional<List<ProgressEvent>> eventsAfter(String userId, String taskId, long afterSeq) {
                return taskId.equals("other") ? Optional.empty()
                        : Optional.of(List.of(ProgressEvent.delta(EventType.TEXT, taskId, afterSeq + 1, TS, "missed")));
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static WsClient plain(String cookie) throws Exception {
        return new WsClient(server.wsUrl("/ai-progress/ws"), Map.of("Cookie", cookie));
    }

    @Test
    void publish_toCookieUser_sendsEventObjectFrame() throws Exception {
        try (WsClient c = plain("sid=sid-plain1")) {
            awaitRoom("plain1");
            server.hub.publish("plain1", ProgressEvent.delta(EventType.TEXT, "t1", 3, TS, "Hi"));
            assertEquals("{\"event\":\"ai_progress\",\"data\":{\"type\":\"text\",\"text\":\"Hi\",\"partial\":true,"
                    + "\"task_id\":\"t1\",\"seq\":3,\"timestamp\":\"" + TS + "\"}}", c.next());
        }
    }

    @Test
    void resume_afterSeq_sendsTheTasksLaterEvents() throws Exception {
        try (WsClient c = plain("JSESSIONID=sid-plain2.node0")) {
            c.send("{\"action\":\"resume\",\"task_id\":\"t2\",\"after_seq\":4}");
            assertEquals("{\"event\":\"ai_progress\",\"data\":{\"type\":\"text\",\"text\":\"missed\",\"partial\":true,"
                    + "\"task_id\":\"t2\",\"seq\":5,\"timestamp\":\"" + TS + "\"}}", c.next());
        }
    }

    @Test
    void resume_foreignOrUnknownTask_sendsErrorFrameAndNoEvents() throws Exception {
        try (WsClient c = plain("sid=sid-plain3")) {
            c.send("{\"action\":\"resume\",\"task_id\":\"other\",\"after_seq\":0}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"no task other of yours\"}}", c.next());
        }
    }

    @Test
    void cancel_foreignOrUnknownTask_sendsErrorFrame() throws Exception {
        try (WsClient c = plain("sid=sid-plain3")) {
            c.send("{\"action\":\"cancel\",\"task_id\":\"other\"}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"no running task other of yours\"}}", c.next());
        }
    }

    @Test
    void malformedMessage_sendsErrorFrame() throws Exception {
        try (WsClient c = plain("sid=sid-plain4")) {
            c.send("not json");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"malformed message: expected a JSON object\"}}",
                    c.next());
            c.send("{\"action\":\"dance\",\"task_id\":\"t\"}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"unknown action dance\"}}", c.next());
        }
    }

    @Test
    void unknownUser_sendsUnauthorizedAndCloses() throws Exception {
        try (WsClient c = plain("sid=stranger")) {
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"Unauthorized\"}}", c.next());
            assertEquals("1008 unauthorized", c.awaitClose());
        }
    }

    /**
     * One Origin rule for HTTP and sockets (auth.OriginPolicy): the list adds origins to the
     * request's own host, which the handshake's checkOrigin cannot see; so a foreign origin is
     * closed with 1008 when the socket opens, before anything is sent (README "Realtime").
     */
    @Test
    void explicitAllowList_foreignOriginIsClosedBeforeAnything_listedOriginServed() throws Exception {
        try (RealtimeJetty strict = new RealtimeJetty(RealtimeOptions.defaults()
                .withAllowedOrigins(List.of("https://app.example")), TaskControl.NONE)) {
            try (WsClient foreign = new WsClient(strict.wsUrl("/ai-progress/ws"),
                    Map.of("Origin", "https://evil.example", "Cookie", "sid=sid-plain5"))) {
                assertEquals(PlainJsonSession.CLOSE_POLICY + " origin not allowed", foreign.awaitClose());
            }
            try (WsClient ok = new WsClient(strict.wsUrl("/ai-progress/ws"),
                    Map.of("Origin", "https://app.example", "Cookie", "sid=sid-plain5"))) {
                org.junit.jupiter.api.Assertions.assertTrue(ok.isOpen());
            }
        }
    }

    static void awaitRoom(String user) throws InterruptedException {
        Await.within(Duration.ofSeconds(5), () -> server.hub.socketCount(user) != 0);
        assertEquals(1, server.hub.socketCount(user));
    }
}
