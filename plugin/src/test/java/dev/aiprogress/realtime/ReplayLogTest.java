package dev.aiprogress.realtime;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayLogTest {

    private static final String TS = "2026-11-24T10:15:30.123Z";

    private static ProgressEvent text(String task, long seq) {
        return ProgressEvent.delta(EventType.TEXT, task, seq, TS, "x");
    }

    private static List<Long> offsets(List<ReplayLog.Entry> entries) {
        return entries.stream().map(ReplayLog.Entry::offset).toList();
    }

    @Test
    void append_pastCountBound_evictsOldestAndRecoveryBeforeItFails() {
        ReplayLog log = new ReplayLog(1_000_000, 3, 1_000_000);
        for (int i = 1; i <= 5; i++) {
            log.append(text("t", i), "{}", 0);
        }
        assertEquals(List.of(3L, 4L, 5L), offsets(log.forNewSocket(0)));
        assertTrue(log.after(1, 0).isEmpty());
        assertEquals(List.of(3L, 4L, 5L), offsets(log.after(2, 0).orElseThrow()));
        assertEquals(List.of(), log.after(5, 0).orElseThrow());
        assertTrue(log.after(6, 0).isEmpty());
    }

    @Test
    void append_pastByteBound_evictsOldest() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 10);
        log.append(text("t", 1), "12345", 0);
        log.append(text("t", 2), "12345", 0);
        log.append(text("t", 3), "1", 0);
        assertEquals(List.of(2L, 3L), offsets(log.forNewSocket(0)));
    }

    @Test
    void append_completionLargerThanTheByteBound_keepsTheWindowAndStaysRecoverable() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 10);
        log.append(text("t", 1), "12345", 0);
        log.append(ProgressEvent.completion("t", 2, TS, "x".repeat(50), null, null, null, null, "stop", 1, null, null),
                "{\"text\":\"" + "x".repeat(50) + "\"}", 0);
        log.append(ProgressEvent.complete("t", 3, TS, "done"), "{}", 0);
        assertEquals(List.of(2L, 3L), offsets(log.after(1, 0).orElseThrow()));
    }

    @Test
    void forNewSocket_pastMaxAge_isEmpty() {
        ReplayLog log = new ReplayLog(100, 100, 1000);
        log.append(text("t", 1), "{}", 0);
        assertEquals(1, log.forNewSocket(100).size());
        assertEquals(0, log.forNewSocket(101).size());
        assertTrue(log.isEmpty(101));
    }

    @Test
    void forNewSocket_taskWithAnyTerminalEvent_isNeverReplayed() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 100_000);
        log.append(text("a", 1), "{}", 0);
        log.append(ProgressEvent.completion("a", 2, TS, "x", null, null, null, null, "stop", 1, null, null), "{}", 0);
        log.append(text("b", 1), "{}", 0);
        log.append(ProgressEvent.error("b", 2, TS, "failed", "upstream", "AIP-012", "", ""), "{}", 0);
        log.append(ProgressEvent.complete("c", 5, TS, "done"), "{}", 0);
        log.append(text("d", 1), "{}", 0);
        assertEquals(List.of(6L), offsets(log.forNewSocket(0)));
    }
}
