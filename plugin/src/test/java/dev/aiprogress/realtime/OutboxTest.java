package dev.aiprogress.realtime;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {

    private static final String TS = "2026-11-24T10:15:30.123Z";
    private final RealtimeCounters counters = new RealtimeCounters();

    private static String json(ProgressEvent e) {
        return "{\"type\":\"" + e.type().wireName() + "\",\"text\":\"" + e.text() + "\",\"seq\":" + e.seq() + "}";
    }

    private Outbox outbox(RecordingSink sink, int maxEvents, long maxBytes) {
        return new Outbox(sink, (json, offset) -> json + "@" + offset, OutboxTest::json, counters, maxEvents, maxBytes);
    }

    private static ProgressEvent delta(EventType type, String task, long seq, String text) {
        return ProgressEvent.delta(type, task, seq, TS, text);
    }

    private static void offer(Outbox o, ProgressEvent e, long offset) {
        o.offer(e, json(e), offset);
    }

    @Test
    void offer_whileSendInFlight_keepsExactlyOneSendInFlight() {
        RecordingSink sink = new RecordingSink(false);
        Outbox o = outbox(sink, 100, 100_000);
        offer(o, delta(EventType.TEXT, "a", 1, "x"), 1);
        offer(o, ProgressEvent.thinking("b", 1, TS, "Thinking"), 2);
        offer(o, delta(EventType.TEXT, "c", 1, "y"), 3);
        assertEquals(1, sink.frames.size());
        while (sink.hasPending()) {
            sink.completeOne();
        }
        assertEquals(3, sink.frames.size());
        assertEquals(1, sink.maxInFlight);
    }

    @Test
    void sendControl_withEventsQueued_jumpsTheQueue() {
        RecordingSink sink = new RecordingSink(false);
        Outbox o = outbox(sink, 100, 100_000);
        offer(o, delta(EventType.TEXT, "a", 1, "one"), 1);
        offer(o, delta(EventType.REASONING, "a", 2, "two"), 2);
        o.sendControl("2");
        while (sink.hasPending()) {
            sink.completeOne();
        }
        assertEquals(List.of("{\"type\":\"text\",\"text\":\"one\",\"seq\":1}@1", "2",
                "{\"type\":\"reasoning\",\"text\":\"two\",\"seq\":2}@2"), sink.frames);
    }

    @Test
    void offer_sameTaskAndTypeWhileWaiting_mergesLosslesslyKeepingLastSeqAndOffset() {
        RecordingSink sink = new RecordingSink(false);
        Outbox o = outbox(sink, 100, 100_000);
        offer(o, delta(EventType.TEXT, "a", 1, "He"), 1);
        offer(o, delta(EventType.TEXT, "a", 2, "ll"), 2);
        offer(o, delta(EventType.TEXT, "a", 3, "o"), 3);
        offer(o, delta(EventType.TEXT, "b", 1, "other"), 4);
        offer(o, delta(EventType.REASONING, "b", 2, "r"), 5);
        while (sink.hasPending()) {
            sink.completeOne();
        }
        assertEquals(List.of("{\"type\":\"text\",\"text\":\"He\",\"seq\":1}@1",
                "{\"type\":\"text\",\"text\":\"llo\",\"seq\":3}@3",
                "{\"type\":\"text\",\"text\":\"other\",\"seq\":1}@4",
                "{\"type\":\"reasoning\",\"text\":\"r\",\"seq\":2}@5"), sink.frames);
        assertEquals(1, counters.mergeCount());
    }

    @Test
    void offer_pastEventBound_closesThatSocketWithOverflowReason() {
        RecordingSink sink = new RecordingSink(false);
        Outbox o = outbox(sink, 2, 100_000);
        assertTrue(o.offer(ProgressEvent.thinking("a", 1, TS, "t"), "{}", 1)); // in flight
        assertTrue(o.offer(ProgressEvent.thinking("b", 1, TS, "t"), "{}", 2));
        assertTrue(o.offer(ProgressEvent.thinking("c", 1, TS, "t"), "{}", 3));
        assertFalse(o.offer(ProgressEvent.thinking("d", 1, TS, "t"), "{}", 4));
        assertEquals(List.of("1008 outbox overflow"), sink.closes);
        assertEquals(List.of("1008 outbox overflow"), sink.abandons); // its peer stopped reading
        assertTrue(o.isClosed());
        assertEquals(1, counters.overflowCloseCount());
        assertFalse(o.offer(ProgressEvent.thinking("e", 1, TS, "t"), "{}", 5));
        assertEquals(1, counters.overflowCloseCount());
    }

    @Test
    void offer_pastByteBound_closesThatSocket() {
        RecordingSink sink = new RecordingSink(false);
        Outbox o = outbox(sink, 1000, 10);
        assertTrue(o.offer(ProgressEvent.thinking("a", 1, TS, "t"), "0123456789", 1)); // in flight, not counted
        assertTrue(o.offer(ProgressEvent.thinking("b", 1, TS, "t"), "0123456789", 2)); // 10 bytes queued
        assertFalse(o.offer(ProgressEvent.thinking("c", 1, TS, "t"), "é", 3)); // 2 more bytes
        assertEquals(List.of("1008 outbox overflow"), sink.closes);
        assertEquals(List.of("1008 outbox overflow"), sink.abandons);
    }

    @Test
    void offer_completionLargerThanTheByteBound_isQueuedAndSentWithoutClosing() {
        RecordingSink sink = new RecordingSink(false);
        Outbox o = outbox(sink, 1000, 40);
        offer(o, delta(EventType.TEXT, "a", 1, "x"), 1); // in flight
        offer(o, delta(EventType.TEXT, "a", 2, "y"), 2); // 33 bytes queued
        String full = "a completion that repeats the whole answer, far past the forty bytes of the bound";
        ProgressEvent completion = ProgressEvent.completion("a", 3, TS, full, "", null, null, null, "stop", 1, null, null);
        assertTrue(o.offer(completion, "{\"type\":\"completion\",\"text\":\"" + full + "\"}", 3));
        assertTrue(o.offer(ProgressEvent.complete("a", 4, TS, "Task finished successfully"), "{\"type\":\"complete\"}", 4));
        while (sink.hasPending()) {
            sink.completeOne();
        }
        assertEquals(4, sink.frames.size());
        assertEquals(List.of(), sink.closes);
    }

    @Test
    void offer_sinkCompletingInline_sendsEverythingWithoutRecursion() {
        RecordingSink sink = new RecordingSink(true);
        Outbox o = outbox(sink, 100_000, 100_000_000);
        for (int i = 1; i <= 20_000; i++) {
            o.offer(ProgressEvent.thinking("t" + i, 1, TS, "t"), "{}", i);
        }
        assertEquals(20_000, sink.frames.size());
        assertEquals(20_000, counters.deliveredCount());
    }

    @Test
    void closeWhenDrained_withQueuedControl_writesThenCloses() {
        RecordingSink sink = new RecordingSink(false);
        Outbox o = outbox(sink, 10, 1000);
        o.sendControl("bye");
        o.closeWhenDrained(1008, "unauthorized");
        assertEquals(List.of(), sink.closes);
        sink.completeOne();
        assertEquals(List.of("bye"), sink.frames);
        assertEquals(List.of("1008 unauthorized"), sink.closes);
        assertEquals(List.of(), sink.abandons);
    }

    @Test
    void holdEvents_untilReleased_sendsOnlyControlFrames() {
        RecordingSink sink = new RecordingSink(true);
        Outbox o = outbox(sink, 10, 1000);
        o.holdEvents();
        o.offer(ProgressEvent.thinking("a", 1, TS, "t"), "{}", 7);
        o.sendControl("40");
        assertEquals(List.of("40"), sink.frames);
        o.releaseEvents();
        assertEquals(List.of("40", "{}@7"), sink.frames);
    }

    @Test
    void utf8Length_mixedText_countsEncodedBytes() {
        assertEquals(1 + 2 + 3 + 4, Outbox.utf8Length("aé€😀"));
    }
}
