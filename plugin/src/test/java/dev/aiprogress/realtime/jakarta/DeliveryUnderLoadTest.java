package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.Outbox;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fan-out over real sockets: per-user isolation, a slow consumer closed at its bound, heartbeat. */
class DeliveryUnderLoadTest {

    static final String TS = "2026-11-24T10:15:30.123Z";

    static WsClient connected(RealtimeJetty server, String user) throws Exception {
        WsClient c = WsClient.connect(server.wsUrl("/socket.io/?EIO=4&transport=websocket"));
        c.next();
        c.send("40{\"sid\":\"sid-" + user + "\"}");
        assertTrue(c.nextNonPing().startsWith("40{\"sid\":"));
        return c;
    }

    @Test
    void publish_twoUsersThreeSocketsEach_eachSocketGetsExactlyItsUsersEventsInOrder() throws Exception {
        try (RealtimeJetty server = new RealtimeJetty(RealtimeOptions.defaults(), TaskControl.NONE)) {
            List<WsClient> ann = new ArrayList<>();
            List<WsClient> ben = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ann.add(connected(server, "ann"));
                    ben.add(connected(server, "ben"));
                }
                for (int seq = 1; seq <= 50; seq++) {
                    server.hub.publish("ann", ProgressEvent.thinking("task-ann", seq, TS, "a" + seq));
                    server.hub.publish("ben", ProgressEvent.thinking("task-ben", seq, TS, "b" + seq));
                }
                for (WsClient c : ann) {
                    for (int seq = 1; seq <= 50; seq++) {
                        assertEquals("42[\"ai_progress\",{\"type\":\"thinking\",\"message\":\"a" + seq
                                + "\",\"task_id\":\"task-ann\",\"seq\":" + seq + ",\"timestamp\":\"" + TS + "\"},\""
                                + seq + "\"]", c.nextNonPing());
                    }
                }
                for (WsClient c : ben) {
                    for (int seq = 1; seq <= 50; seq++) {
                        assertTrue(c.nextNonPing().contains("\"message\":\"b" + seq + "\",\"task_id\":\"task-ben\""));
                    }
                }
            } finally {
                for (WsClient c : ann) {
                    c.close();
                }
                for (WsClient c : ben) {
                    c.close();
                }
            }
        }
    }

    @Test
    void publish_oneSocketStopsReading_thatSocketIsClosedAndTheOthersGetEverything() throws Exception {
        RealtimeOptions options = RealtimeOptions.defaults()
                .withReplay(Duration.ofSeconds(30), 64, 1_000_000).withOutbox(64, 1_000_000);
        try (RealtimeJetty server = new RealtimeJetty(options, TaskControl.NONE);
             WsClient fast1 = connected(server, "cy");
             WsClient fast2 = connected(server, "cy");
             WsClient slow = connected(server, "cy")) {
            slow.stall();
            String big = "x".repeat(8 * 1024);
            // publish in batches the fast sockets read before the next one (they keep pace, never near
            // the bound), until the stalled socket's outbox overflows; TCP buffers differ between machines
            int seq = 0;
            while (seq < 6000 && server.hub.counters().overflowCloseCount() == 0) {
                int first = seq + 1;
                for (int i = 0; i < 32; i++) {
                    seq++;
                    server.hub.publish("cy", ProgressEvent.thinking("t", seq, TS, big));
                }
                for (WsClient c : List.of(fast1, fast2)) {
                    for (int expected = first; expected <= seq; expected++) {
                        assertTrue(c.nextNonPing().contains(",\"seq\":" + expected + ","), "seq " + expected);
                    }
                }
            }
            assertEquals(1, server.hub.counters().overflowCloseCount());
            assertEquals(2, server.hub.socketCount("cy"));
            assertTrue(fast1.isOpen() && fast2.isOpen());
            slow.close();
        }
    }

    @Test
    void heartbeat_pongsAnswered_staysOpen_andWithoutPong_closes() throws Exception {
        // two servers: the one whose socket must stay open gives a pong a minute (a pong late by
        // scheduling noise must not close it); the silent socket's server waits 1.5 s, and the
        // test waits for that close to happen
        RealtimeOptions patient = RealtimeOptions.defaults().withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(60));
        RealtimeOptions strict = RealtimeOptions.defaults().withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(1500));
        try (RealtimeJetty server = new RealtimeJetty(patient, TaskControl.NONE);
             RealtimeJetty strictServer = new RealtimeJetty(strict, TaskControl.NONE);
             WsClient live = WsClient.connect(server.wsUrl("/socket.io/?EIO=4&transport=websocket")).autoPong();
             WsClient silent = WsClient.connect(strictServer.wsUrl("/socket.io/?EIO=4&transport=websocket"))) {
            assertTrue(live.next().startsWith("0{\"sid\":\""));
            for (int i = 0; i < 3; i++) {
                assertEquals("2", live.next());
            }
            assertTrue(live.isOpen());
            assertTrue(silent.next().contains("\"pingInterval\":100,\"pingTimeout\":1500,"));
            assertEquals("2", silent.next());
            assertEquals("1008 ping timeout", silent.awaitClose());
        }
    }

    @Test
    void overflowConstants_areTheDocumentedCloseCode() {
        assertEquals(1008, Outbox.OVERFLOW_CODE);
        assertEquals("outbox overflow", Outbox.OVERFLOW_REASON);
    }

}
