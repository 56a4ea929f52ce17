package dev.aiprogress.realtime.socketio;

import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.RecordingSink;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;
import dev.aiprogress.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session state machine without a container: an in-memory sink and a real shared scheduler. */
class SocketIoSessionTest {

    private static final String TS = "2026-11-24T10:15:30.123Z";
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final Hub hub = Hub.singleNode(e -> "{\"seq\":" + e.seq() + "}", RealtimeOptions.defaults());
    private final UserLookup users = sid -> sid.equals("s1") ? Optional.of("u1") : Optional.empty();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private SocketIoSession session(RecordingSink sink, RealtimeOptions options) {
        UpgradeRequest request = new UpgradeRequest(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of("EIO", "4", "transport", "websocket"));
        return new SocketIoSession(sink, request, hub, users, TaskControl.NONE, options, scheduler);
    }

    @Test
    void framing_writtenOut_isExactlyTheSocketIoEventPacket() {
        String json = "{\"type\":\"text\",\"text\":\"a \\\"quoted\\\" ü\",\"seq\":7}";
        assertEquals("4" + SocketPacket.event(SocketIoSession.EVENT_NAME, json, Optional.of("123")),
                SocketIoSession.FRAMING_WITH_OFFSET.frame(json, 123));
        assertEquals("4" + SocketPacket.event(SocketIoSession.EVENT_NAME, json, Optional.empty()),
                SocketIoSession.FRAMING.frame(json, 123));
    }

    @Test
    void onText_connectThenPublish_sendsReplyBeforeReplayedAndLiveEvents() {
        hub.publish("u1", ProgressEvent.thinking("t", 1, TS, "x"));
        RecordingSink sink = new RecordingSink(true);
        SocketIoSession s = session(sink, RealtimeOptions.defaults());
        s.onOpen();
        s.onText("40{\"sid\":\"s1\"}");
        hub.publish("u1", ProgressEvent.thinking("t", 2, TS, "x"));
        assertEquals(4, sink.frames.size());
        assertTrue(sink.frames.get(0).startsWith("0{\"sid\":\""));
        assertTrue(sink.frames.get(1).matches("40\\{\"sid\":\"[^\"]+\",\"pid\":\"[^\"]+\"}"), sink.frames.get(1));
        assertEquals(List.of("42[\"ai_progress\",{\"seq\":1},\"1\"]", "42[\"ai_progress\",{\"seq\":2},\"2\"]"),
                sink.frames.subList(2, 4));
        s.onClose();
        assertEquals(0, hub.socketCount("u1"));
    }

    @Test
    void onText_recoveryOff_connectReplyHasOnlySidAndEventsNoOffset() {
        RecordingSink sink = new RecordingSink(true);
        SocketIoSession s = session(sink, RealtimeOptions.defaults().withReplay(Duration.ofSeconds(1), 0, 0));
        s.onOpen();
        s.onText("40{\"sid\":\"s1\"}");
        hub.publish("u1", ProgressEvent.thinking("t", 1, TS, "x"));
        assertTrue(sink.frames.get(1).matches("40\\{\"sid\":\"[^\"]+\"}"), sink.frames.get(1));
        assertEquals("42[\"ai_progress\",{\"seq\":1}]", sink.frames.get(2));
    }

    @Test
    void onOpen_noConnectWithinTimeout_closes() throws InterruptedException {
        RecordingSink sink = new RecordingSink(true);
        session(sink, RealtimeOptions.defaults().withConnectTimeout(Duration.ofMillis(20))).onOpen();
        Await.within(Duration.ofSeconds(5), () -> !sink.closes.isEmpty());
        assertEquals(List.of("1008 no connect in time"), sink.closes);
    }

    @Test
    void onText_clientPingInV4_closesAsWrongHeartbeatDirection() {
        RecordingSink sink = new RecordingSink(true);
        SocketIoSession s = session(sink, RealtimeOptions.defaults());
        s.onOpen();
        s.onText("2");
        assertEquals(List.of("1002 invalid packet for a websocket session"), sink.closes);
    }

    @Test
    void onText_duplicateConnect_closes() {
        RecordingSink sink = new RecordingSink(true);
        SocketIoSession s = session(sink, RealtimeOptions.defaults());
        s.onOpen();
        s.onText("40{\"sid\":\"s1\"}");
        s.onText("40{\"sid\":\"s1\"}");
        assertEquals(List.of("1002 duplicate connect"), sink.closes);
        assertEquals(0, hub.socketCount("u1"));
    }
}
