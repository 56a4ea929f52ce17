package dev.aiprogress.realtime;

import dev.aiprogress.cluster.InterestListener;
import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubTest {

    private static final String TS = "2026-11-24T10:15:30.123Z";
    private final AtomicLong clock = new AtomicLong(1_000);
    private final Hub hub = new Hub(e -> "{\"task_id\":\"" + e.taskId() + "\",\"seq\":" + e.seq()
            + ",\"type\":\"" + e.type().wireName() + "\"}", RealtimeOptions.defaults(), clock::get,
            InterestListener.NONE, userId -> List.of(), false);

    private Outbox outbox(RecordingSink sink) {
        return hub.newOutbox(sink, (json, offset) -> json + "@" + offset);
    }

    @Test
    void publish_twoUsersThreeSocketsEach_everySocketGetsExactlyItsUsersEvents() {
        List<RecordingSink> alice = new ArrayList<>();
        List<RecordingSink> bob = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alice.add(new RecordingSink(true));
            bob.add(new RecordingSink(true));
            hub.attach("alice", outbox(alice.get(i)));
            hub.attach("bob", outbox(bob.get(i)));
        }
        hub.publish("alice", ProgressEvent.thinking("ta", 1, TS, "Thinking"));
        hub.publish("bob", ProgressEvent.thinking("tb", 1, TS, "Thinking"));
        hub.publish("alice", ProgressEvent.delta(EventType.TEXT, "ta", 2, TS, "hi"));
        for (RecordingSink s : alice) {
            assertEquals(List.of("{\"task_id\":\"ta\",\"seq\":1,\"type\":\"thinking\"}@1",
                    "{\"task_id\":\"ta\",\"seq\":2,\"type\":\"text\"}@2"), s.frames);
        }
        for (RecordingSink s : bob) {
            assertEquals(List.of("{\"task_id\":\"tb\",\"seq\":1,\"type\":\"thinking\"}@1"), s.frames);
        }
        assertEquals(3, hub.socketCount("alice"));
        assertEquals(3, hub.counters().publishedCount());
        assertEquals(9, hub.counters().deliveredCount());
    }

    @Test
    void publish_toSeveralSocketsOfOneProtocol_buildsTheFrameOnce() {
        Outbox.Framing framing = (json, offset) -> "42[" + json + ",\"" + offset + "\"]";
        List<RecordingSink> sinks = List.of(new RecordingSink(true), new RecordingSink(true), new RecordingSink(true));
        for (RecordingSink sink : sinks) {
            hub.attach("frank", hub.newOutbox(sink, framing));
        }
        hub.publish("frank", ProgressEvent.delta(EventType.TEXT, "t", 1, TS, "hi"));
        assertEquals(List.of("42[{\"task_id\":\"t\",\"seq\":1,\"type\":\"text\"},\"1\"]"), sinks.get(0).frames);
        assertSame(sinks.get(0).frames.get(0), sinks.get(1).frames.get(0));
        assertSame(sinks.get(0).frames.get(0), sinks.get(2).frames.get(0));
    }

    @Test
    void detach_everySocket_leavesNoMembersAndSweepForgetsTheUser() {
        Hub.Attachment a = hub.attach("carol", outbox(new RecordingSink(true)));
        Hub.Attachment b = hub.attach("carol", outbox(new RecordingSink(true)));
        a.detach();
        b.detach();
        b.detach();
        assertEquals(0, hub.socketCount("carol"));
        hub.sweep();
        assertEquals(0, hub.channelCount());
    }

    @Test
    void sweep_withWindowStillHoldingEvents_keepsUserUntilWindowExpires() {
        hub.publish("dave", ProgressEvent.thinking("t", 1, TS, "x"));
        hub.sweep();
        assertEquals(1, hub.channelCount());
        clock.addAndGet(Duration.ofMinutes(3).toNanos());
        hub.sweep();
        assertEquals(0, hub.channelCount());
    }

    @Test
    void attach_shortlyAfterTaskStarted_replaysItsEventsButNotFinishedTasks() {
        hub.publish("erin", ProgressEvent.thinking("done", 1, TS, "x"));
        hub.publish("erin", ProgressEvent.complete("done", 2, TS, "Task finished successfully"));
        hub.publish("erin", ProgressEvent.thinking("live", 1, TS, "x"));
        hub.publish("erin", ProgressEvent.delta(EventType.REASONING, "live", 2, TS, "r"));
        RecordingSink sink = new RecordingSink(true);
        hub.attach("erin", outbox(sink));
        assertEquals(List.of("{\"task_id\":\"live\",\"seq\":1,\"type\":\"thinking\"}@3",
                "{\"task_id\":\"live\",\"seq\":2,\"type\":\"reasoning\"}@4"), sink.frames);
    }

    @Test
    void attach_betweenCompletionAndComplete_neverGetsTheLoneComplete() {
        hub.publish("erin", ProgressEvent.thinking("t", 1, TS, "x"));
        hub.publish("erin", ProgressEvent.completion("t", 2, TS, "a", null, null, null, null, "stop", 1, null, null));
        RecordingSink sink = new RecordingSink(true);
        hub.attach("erin", outbox(sink));
        hub.publish("erin", ProgressEvent.complete("t", 3, TS, "Task finished successfully"));
        hub.publish("erin", ProgressEvent.thinking("next", 1, TS, "x"));
        assertEquals(List.of("{\"task_id\":\"next\",\"seq\":1,\"type\":\"thinking\"}@4"), sink.frames);
    }

    @Test
    void attach_afterTaskFinished_aNewTaskReusingItsIdIsDelivered() {
        hub.publish("erin", ProgressEvent.thinking("t", 1, TS, "x"));
        hub.publish("erin", ProgressEvent.complete("t", 2, TS, "Task finished successfully"));
        RecordingSink sink = new RecordingSink(true);
        hub.attach("erin", outbox(sink));
        hub.publish("erin", ProgressEvent.thinking("t", 1, TS, "x"));
        hub.publish("erin", ProgressEvent.delta(EventType.TEXT, "t", 2, TS, "y"));
        assertEquals(List.of("{\"task_id\":\"t\",\"seq\":1,\"type\":\"thinking\"}@3",
                "{\"task_id\":\"t\",\"seq\":2,\"type\":\"text\"}@4"), sink.frames);
    }

    @Test
    void recover_withKnownPidAndOffset_queuesExactlyTheMissedEvents() {
        Hub.Attachment first = hub.attach("fay", outbox(new RecordingSink(true)));
        hub.publish("fay", ProgressEvent.thinking("t", 1, TS, "x"));
        first.detach();
        hub.publish("fay", ProgressEvent.delta(EventType.TEXT, "t", 2, TS, "a"));
        hub.publish("fay", ProgressEvent.complete("t", 3, TS, "done"));
        RecordingSink sink = new RecordingSink(true);
        assertTrue(hub.recover("fay", first.pid(), 1, outbox(sink)).isPresent());
        assertEquals(List.of("{\"task_id\":\"t\",\"seq\":2,\"type\":\"text\"}@2",
                "{\"task_id\":\"t\",\"seq\":3,\"type\":\"complete\"}@3"), sink.frames);
    }

    @Test
    void recover_withForeignUserOrUnknownPid_isRefused() {
        Hub.Attachment first = hub.attach("gus", outbox(new RecordingSink(true)));
        first.detach();
        assertTrue(hub.recover("mallory", first.pid(), 0, outbox(new RecordingSink(true))).isEmpty());
        assertTrue(hub.recover("gus", "nope", 0, outbox(new RecordingSink(true))).isEmpty());
    }

    @Test
    void closeAll_liveSockets_closesEachWithGoingAwayAndEmptiesRooms() {
        RecordingSink one = new RecordingSink(true);
        RecordingSink two = new RecordingSink(true);
        hub.attach("ivy", outbox(one));
        hub.attach("jon", outbox(two));
        hub.closeAll();
        assertEquals(List.of("1001 server shutting down"), one.closes);
        assertEquals(List.of("1001 server shutting down"), two.closes);
        assertEquals(0, hub.socketCount("ivy"));
        assertEquals(0, hub.socketCount("jon"));
    }
}
