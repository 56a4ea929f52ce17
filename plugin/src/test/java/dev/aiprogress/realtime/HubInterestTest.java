package dev.aiprogress.realtime;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hub and the cluster bus: it tells the bus when a user's first socket joins and the last one
 * leaves, and only then; a user's first socket here is seeded from the cluster's shared window.
 */
class HubInterestTest {

    private final List<String> calls = new ArrayList<>();
    private final Hub hub = new Hub(e -> "{}", RealtimeOptions.defaults(), System::nanoTime,
            (user, held) -> calls.add(user + (held ? "+" : "-")), userId -> List.of(), false);

    private Outbox outbox() {
        return hub.newOutbox(new RecordingSink(true), (json, offset) -> json);
    }

    @Test
    void attachDetach_twoSocketsOfOneUserAndOneOfAnother_firstJoinAndLastLeaveOnly() {
        Hub.Attachment a1 = hub.attach("alice", outbox());
        Hub.Attachment a2 = hub.attach("alice", outbox());
        Hub.Attachment b1 = hub.attach("bob", outbox());
        a1.detach();
        a1.detach();
        b1.detach();
        a2.detach();
        Hub.Attachment a3 = hub.attach("alice", outbox());
        a3.outbox().close(1000, "bye");
        assertEquals(List.of("alice+", "bob+", "bob-", "alice-", "alice+", "alice-"), calls);
    }

    @Test
    void recover_afterTheLastSocketLeft_gainsInterestAgain() {
        Hub.Attachment a = hub.attach("carol", outbox());
        a.detach();
        Hub.Attachment back = hub.recover("carol", a.pid(), 0, outbox()).orElseThrow();
        back.detach();
        assertEquals(List.of("carol+", "carol-", "carol+", "carol-"), calls);
    }

    @Test
    void attach_firstSocketHere_seededFromElsewhereWithoutRepeats_secondSocketReadsNothing() {
        String ts = "2026-11-24T10:15:30.123Z";
        List<String> reads = new ArrayList<>();
        Hub clustered = new Hub(e -> e.taskId() + "#" + e.seq(), RealtimeOptions.defaults(), System::nanoTime,
                (user, held) -> { }, user -> {
                    reads.add(user);
                    return List.of(ProgressEvent.thinking("remote", 1, ts, "Thinking"),
                            ProgressEvent.delta(EventType.TEXT, "remote", 2, ts, "a"),
                            ProgressEvent.thinking("local", 1, ts, "Thinking"),
                            ProgressEvent.delta(EventType.TEXT, "remote", 3, ts, "b"));
                }, false);
        // this node already published the first event of its own task for the user
        clustered.publish("gina", ProgressEvent.thinking("local", 1, ts, "Thinking"));
        RecordingSink first = new RecordingSink(true);
        clustered.attach("gina", clustered.newOutbox(first, (json, offset) -> json + "@" + offset));
        RecordingSink second = new RecordingSink(true);
        clustered.attach("gina", clustered.newOutbox(second, (json, offset) -> json + "@" + offset));
        assertEquals(List.of("gina"), reads);
        // the two text deltas of "remote" are replayed as one ("ab", seq 3, offset 4)
        assertEquals(List.of("local#1@1", "remote#1@2", "remote#3@4"), first.frames);
        assertEquals(first.frames, second.frames);
    }
}
