package dev.aiprogress.realtime;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayLogTest {

    private static final String TS = "2026-11-24T10:15:30.123Z";

    private static ProgressEvent text(String task, long seq) {
        return text(task, seq, "x");
    }

    private static ProgressEvent text(String task, long seq, String text) {
        return ProgressEvent.delta(EventType.TEXT, task, seq, "2026-11-24T10:15:30." + (100 + seq) + "Z", text);
    }

    private static ProgressEvent reasoning(String task, long seq, String text) {
        return ProgressEvent.delta(EventType.REASONING, task, seq, "2026-11-24T10:15:30." + (100 + seq) + "Z", text);
    }

    private static List<Long> offsets(List<ReplayLog.Entry> entries) {
        return entries.stream().map(ReplayLog.Entry::offset).toList();
    }

    private static List<ProgressEvent> events(List<ReplayLog.Entry> entries) {
        return entries.stream().map(ReplayLog.Entry::event).toList();
    }

    @Test
    void forNewSocket_runningTask_consecutiveDeltasOfOneTypeComeMerged() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 100_000);
        log.append(ProgressEvent.thinking("t", 1, TS, "Thinking…"), 0);
        log.append(reasoning("t", 2, "Let me "), 0);
        log.append(reasoning("t", 3, "think."), 0);
        log.append(text("t", 4, "The answer"), 0);
        log.append(text("t", 5, " is 42."), 0);
        assertEquals(List.of(
                ProgressEvent.thinking("t", 1, TS, "Thinking…"),
                reasoning("t", 3, "Let me think."),
                text("t", 5, "The answer is 42.")), events(log.forNewSocket(0)));
        assertEquals(List.of(1L, 3L, 5L), offsets(log.forNewSocket(0)));
    }

    @Test
    void after_offsetInsideARun_givesTheRestOfThatRunAndEverythingLater() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 100_000);
        log.append(reasoning("t", 1, "ab"), 0);
        log.append(reasoning("t", 2, "cd"), 0);
        log.append(reasoning("t", 3, "ef"), 0);
        log.append(text("t", 4, "gh"), 0);
        ProgressEvent tool = ProgressEvent.toolCall("t", 5, TS, new ProgressEvent.ToolInfo("c1", "f", "{}"));
        log.append(tool, 0);
        log.append(text("t", 6, "ij"), 0);
        assertEquals(List.of(reasoning("t", 3, "cdef"), text("t", 4, "gh"), tool, text("t", 6, "ij")),
                events(log.after(1, 0).orElseThrow()));
        assertEquals(List.of(3L, 4L, 5L, 6L), offsets(log.after(1, 0).orElseThrow()));
        assertEquals(List.of(text("t", 6, "ij")), events(log.after(5, 0).orElseThrow()));
        assertEquals(List.of(), log.after(6, 0).orElseThrow());
    }

    @Test
    void after_twoTasksInterleaved_eachStaysInOrderAndComesByOffset() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 100_000);
        log.append(text("a", 1, "a1"), 0);
        log.append(text("b", 1, "b1"), 0);
        log.append(text("a", 2, "a2"), 0);
        log.append(text("b", 2, "b2"), 0);
        assertEquals(List.of(text("a", 2, "a1a2"), text("b", 2, "b1b2")), events(log.after(0, 0).orElseThrow()));
        assertEquals(List.of(3L, 4L), offsets(log.after(0, 0).orElseThrow()));
        assertEquals(List.of(text("a", 2, "a2"), text("b", 2, "b2")), events(log.after(2, 0).orElseThrow()));
    }

    @Test
    void append_pastCountBound_evictsOldestAndRecoveryBeforeItFails() {
        ReplayLog log = new ReplayLog(1_000_000, 3, 1_000_000);
        for (int i = 1; i <= 5; i++) {
            log.append(text("t", i, "x" + i), 0);
        }
        assertEquals(List.of(text("t", 5, "x3x4x5")), events(log.forNewSocket(0)));
        assertEquals(3, log.size());
        assertTrue(log.after(1, 0).isEmpty());
        assertEquals(List.of(text("t", 5, "x3x4x5")), events(log.after(2, 0).orElseThrow()));
        assertEquals(List.of(), log.after(5, 0).orElseThrow());
        assertTrue(log.after(6, 0).isEmpty());
    }

    @Test
    void append_pastByteBound_evictsTheLeastRecentTaskFirst() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 3 * (12 + 5));
        log.append(text("old", 1, "12345"), 0);
        log.append(text("new", 1, "12345"), 0);
        log.append(text("old", 2, "12345"), 0);
        log.append(text("new", 2, "12345"), 0);
        // "old" was appended to less recently than "new": it loses its first event
        assertEquals(List.of(text("old", 2, "12345"), text("new", 2, "1234512345")), events(log.forNewSocket(0)));
        assertTrue(log.after(0, 0).isEmpty());
        assertEquals(List.of(3L, 4L), offsets(log.after(1, 0).orElseThrow()));
    }

    @Test
    void append_completionLargerThanTheByteBound_keepsTheWindowAndStaysRecoverable() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 40);
        log.append(text("t", 1, "12345"), 0);
        ProgressEvent completion = ProgressEvent.completion("t", 2, TS, "x".repeat(50), null, null, null, null, "stop", 1, null, null);
        log.append(completion, 0);
        log.append(ProgressEvent.complete("t", 3, TS, "done"), 0);
        assertEquals(List.of(completion, ProgressEvent.complete("t", 3, TS, "done")), events(log.after(1, 0).orElseThrow()));
        assertEquals(List.of(2L, 3L), offsets(log.after(1, 0).orElseThrow()));
    }

    @Test
    void forNewSocket_pastMaxAgeAfterTheTasksLastEvent_isEmpty() {
        ReplayLog log = new ReplayLog(100, 100, 1000);
        log.append(text("t", 1), 0);
        log.append(text("t", 2), 50);
        assertEquals(1, log.forNewSocket(150).size());
        assertEquals(0, log.forNewSocket(151).size());
        assertTrue(log.isEmpty(151));
        assertEquals(0, log.size());
        assertTrue(log.after(1, 151).isEmpty(), "the expired events cannot be recovered");
    }

    @Test
    void forNewSocket_taskWithAnyTerminalEvent_isNeverReplayed() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 100_000);
        log.append(text("a", 1), 0);
        log.append(ProgressEvent.completion("a", 2, TS, "x", null, null, null, null, "stop", 1, null, null), 0);
        log.append(text("b", 1), 0);
        log.append(ProgressEvent.error("b", 2, TS, "failed", "upstream", "AIP-012", "", ""), 0);
        log.append(ProgressEvent.complete("c", 5, TS, "done"), 0);
        log.append(text("d", 1), 0);
        assertEquals(List.of(6L), offsets(log.forNewSocket(0)));
        assertEquals(java.util.Set.of("a", "b", "c"), log.finishedTasks(0));
    }

    @Test
    void append_taskIdReusedAfterItFinished_startsAFreshTask() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 100_000);
        log.append(text("t", 1, "old"), 0);
        log.append(ProgressEvent.complete("t", 2, TS, "done"), 0);
        log.append(text("t", 1, "new"), 0);
        assertEquals(List.of(text("t", 1, "new")), events(log.forNewSocket(0)));
        assertTrue(log.after(1, 0).isEmpty(), "the finished task's events were dropped");
    }

    @Test
    void taskEventsAfter_resumeBySeq_mergedAndEmptyForUnknownTasks() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 100_000);
        log.append(ProgressEvent.thinking("t", 1, TS, "Thinking…"), 0);
        log.append(reasoning("t", 2, "ab"), 0);
        log.append(reasoning("t", 3, "cd"), 0);
        ProgressEvent completion = ProgressEvent.completion("t", 4, TS, "", "abcd", null, null, null, "stop", 1, null, null);
        log.append(completion, 0);
        assertEquals(List.of(reasoning("t", 3, "cd"), completion), log.taskEventsAfter("t", 2, 0).orElseThrow());
        assertEquals(List.of(), log.taskEventsAfter("t", 4, 0).orElseThrow());
        assertEquals(Optional.empty(), log.taskEventsAfter("other", 0, 0));
    }

    @Test
    void append_completionWithTheSameText_theTrailKeepsTheCompletionsStringNotACopy() {
        ReplayLog log = new ReplayLog(1_000_000, 100, 100_000);
        log.append(reasoning("t", 1, "why"), 0);
        log.append(text("t", 2, "be"), 0);
        log.append(text("t", 3, "cause"), 0);
        String answer = new String("because");
        ProgressEvent completion = ProgressEvent.completion("t", 4, TS, answer, "why", null, null, null, "stop", 1, null, null);
        log.append(completion, 0);
        assertEquals(List.of(text("t", 3, "cause"), completion), log.taskEventsAfter("t", 2, 0).orElseThrow());
        // after the completion the replayed text is cut from the completion's own string
        ProgressEvent replayed = log.taskEventsAfter("t", 1, 0).orElseThrow().get(0);
        assertEquals(text("t", 3, "because"), replayed);
        assertSame(completion, log.taskEventsAfter("t", 3, 0).orElseThrow().get(0));
    }

    /**
     * Whatever the bounds evict, what a recovery from any kept offset gets rebuilds exactly the text
     * of the events after it: nothing lost, nothing repeated, each task in order.
     */
    @Property(tries = 300)
    void after_anyOffsetStillKept_rebuildsExactlyTheTextPublishedAfterIt(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 5) Integer> kinds,
            @ForAll @IntRange(min = 1, max = 80) int maxEvents, @ForAll @IntRange(min = 20, max = 400) int maxBytes) {
        ReplayLog log = new ReplayLog(1_000_000, maxEvents, maxBytes);
        List<ProgressEvent> published = new ArrayList<>();
        long[] seq = new long[2];
        for (int i = 0; i < kinds.size(); i++) {
            int k = kinds.get(i);
            String task = k % 2 == 0 ? "a" : "b";
            long s = ++seq[k % 2];
            ProgressEvent e = k < 2 ? reasoning(task, s, "r" + i + ".")
                    : k < 4 ? text(task, s, "t" + i + ".")
                    : ProgressEvent.toolCall(task, s, TS, new ProgressEvent.ToolInfo("c" + i, "f", "{}"));
            published.add(e);
            assertEquals(i + 1, log.append(e, 0));
        }
        for (long from = 0; from <= published.size(); from++) {
            Optional<List<ReplayLog.Entry>> got = log.after(from, 0);
            if (got.isEmpty()) {
                continue;
            }
            for (String task : List.of("a", "b")) {
                StringBuilder expected = new StringBuilder();
                for (int i = (int) from; i < published.size(); i++) {
                    ProgressEvent e = published.get(i);
                    if (e.taskId().equals(task)) {
                        expected.append(e.type()).append(e.type() == EventType.TOOL_CALL ? e.tool().id() : e.text()).append('|');
                    }
                }
                StringBuilder rebuilt = new StringBuilder();
                long lastSeq = 0;
                for (ReplayLog.Entry entry : got.get()) {
                    ProgressEvent e = entry.event();
                    if (!e.taskId().equals(task)) {
                        continue;
                    }
                    assertTrue(e.seq() > lastSeq, "in order");
                    lastSeq = e.seq();
                    if (e.type() == EventType.TOOL_CALL) {
                        rebuilt.append(e.type()).append(e.tool().id()).append('|');
                    } else {
                        // a merged delta stands for several: split it back at the dots each one ends with
                        for (String piece : e.text().split("(?<=\\.)")) {
                            rebuilt.append(e.type()).append(piece).append('|');
                        }
                    }
                }
                assertEquals(expected.toString(), rebuilt.toString(), "task " + task + " after offset " + from);
            }
        }
        assertTrue(log.size() <= maxEvents);
    }
}
