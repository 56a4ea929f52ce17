package dev.aiprogress.stream;

import dev.aiprogress.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CoalescerTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Chunk> out = new ArrayList<>();

    private Coalescer coalescer(int minChars, long intervalMillis) {
        return new Coalescer(new Coalescer.Options(minChars, intervalMillis), scheduler, out::add);
    }

    private static Chunk.Text text(String s) {
        return new Chunk.Text(s);
    }

    private static Chunk.Reasoning reasoning(String s) {
        return new Chunk.Reasoning(s);
    }

    @Test
    void options_negativeValues_areRejectedNamingTheKey() {
        IllegalArgumentException minChars = assertThrows(IllegalArgumentException.class, () -> new Coalescer.Options(-1, 0));
        assertEquals("emit.min-chars must be >= 0, was -1", minChars.getMessage());
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class, () -> new Coalescer.Options(0, -5));
        assertEquals("emit.interval-ms must be >= 0, was -5", interval.getMessage());
    }

    @Test
    void accept_adaptive_passesEveryChunkAtOnceUnchanged() {
        Coalescer coalescer = new Coalescer(Coalescer.Options.ADAPTIVE, scheduler, out::add);
        Chunk first = reasoning("a");
        Chunk second = text("b");
        coalescer.accept(first);
        assertEquals(1, out.size());
        coalescer.accept(second);
        assertSame(first, out.get(0));
        assertSame(second, out.get(1));
        assertEquals(0, scheduler.pendingCount());
    }

    @Test
    void accept_minChars50_holdsUntilFiftyCharsThenEmitsOneMergedChunk() {
        Coalescer coalescer = coalescer(50, 0);
        coalescer.accept(text("x".repeat(20)));
        coalescer.accept(text("y".repeat(20)));
        assertEquals(List.of(), out);
        coalescer.accept(text("z".repeat(15)));
        assertEquals(List.of(text("x".repeat(20) + "y".repeat(20) + "z".repeat(15))), out);
        coalescer.accept(text("tail"));
        coalescer.flush();
        assertEquals(List.of(text("x".repeat(20) + "y".repeat(20) + "z".repeat(15)), text("tail")), out);
        assertEquals(0, scheduler.pendingCount());
    }

    @Test
    void accept_minCharsWithoutInterval_neverSchedulesTimers() {
        Coalescer coalescer = coalescer(50, 0);
        coalescer.accept(text("short"));
        scheduler.advanceMillis(60_000);
        assertEquals(List.of(), out);
        assertEquals(0, scheduler.pendingCount());
    }

    @Test
    void accept_interval100_firstGoesAtOnceLaterOnesTogetherWhenIntervalElapses() {
        Coalescer coalescer = coalescer(0, 100);
        coalescer.accept(text("a"));
        assertEquals(List.of(text("a")), out);
        scheduler.advanceMillis(30);
        coalescer.accept(text("b"));
        scheduler.advanceMillis(30);
        coalescer.accept(text("c"));
        assertEquals(List.of(text("a")), out);
        assertEquals(1, scheduler.pendingCount());
        scheduler.advanceMillis(39);
        assertEquals(List.of(text("a")), out);
        scheduler.advanceMillis(1);
        assertEquals(List.of(text("a"), text("bc")), out);
        assertEquals(0, scheduler.pendingCount());
    }

    @Test
    void accept_interval100AfterQuietPeriod_goesAtOnce() {
        Coalescer coalescer = coalescer(0, 100);
        coalescer.accept(text("a"));
        scheduler.advanceMillis(250);
        coalescer.accept(text("b"));
        assertEquals(List.of(text("a"), text("b")), out);
        assertEquals(0, scheduler.pendingCount());
    }

    @Test
    void accept_interval100_timerEmissionRestartsTheInterval() {
        Coalescer coalescer = coalescer(0, 100);
        coalescer.accept(text("a"));
        scheduler.advanceMillis(10);
        coalescer.accept(text("b"));
        scheduler.advanceMillis(90);
        assertEquals(List.of(text("a"), text("b")), out);
        scheduler.advanceMillis(50);
        coalescer.accept(text("c"));
        assertEquals(List.of(text("a"), text("b")), out);
        scheduler.advanceMillis(50);
        assertEquals(List.of(text("a"), text("b"), text("c")), out);
    }

    @Test
    void accept_seedParametersMinChars50Interval100_emitsWhenEitherConditionHolds() {
        Coalescer coalescer = coalescer(50, 100);
        coalescer.accept(text("Hi"));
        assertEquals(List.of(text("Hi")), out);
        scheduler.advanceMillis(10);
        coalescer.accept(text("a".repeat(30)));
        scheduler.advanceMillis(10);
        coalescer.accept(text("b".repeat(25)));
        assertEquals(List.of(text("Hi"), text("a".repeat(30) + "b".repeat(25))), out);
        assertEquals(0, scheduler.pendingCount());
        scheduler.advanceMillis(10);
        coalescer.accept(text("c"));
        scheduler.advanceMillis(89);
        assertEquals(2, out.size());
        scheduler.advanceMillis(1);
        assertEquals(List.of(text("Hi"), text("a".repeat(30) + "b".repeat(25)), text("c")), out);
    }

    @Test
    void accept_typeChange_emitsHeldTypeFirstThenHoldsTheNewType() {
        Coalescer coalescer = coalescer(50, 0);
        coalescer.accept(reasoning("think "));
        coalescer.accept(reasoning("more"));
        coalescer.accept(text("Answer"));
        assertEquals(List.of(reasoning("think more")), out);
        coalescer.flush();
        assertEquals(List.of(reasoning("think more"), text("Answer")), out);
    }

    @Test
    void accept_typeChangeWithInterval_countsAsAnEmissionForTheNewType() {
        Coalescer coalescer = coalescer(0, 100);
        coalescer.accept(reasoning("r1"));
        scheduler.advanceMillis(20);
        coalescer.accept(reasoning("r2"));
        scheduler.advanceMillis(20);
        coalescer.accept(text("t1"));
        assertEquals(List.of(reasoning("r1"), reasoning("r2")), out);
        scheduler.advanceMillis(100);
        assertEquals(List.of(reasoning("r1"), reasoning("r2"), text("t1")), out);
        assertEquals(0, scheduler.pendingCount());
    }

    @Test
    void accept_nonTextChunks_flushHeldThenPassAtOnce() {
        Coalescer coalescer = coalescer(50, 100);
        Chunk.ToolCall call = new Chunk.ToolCall("c1", "lookup", "{}");
        Chunk.Usage usage = new Chunk.Usage(3, 4, OptionalLong.of(1));
        Chunk.Finish finish = new Chunk.Finish("stop");
        coalescer.accept(text("a"));
        scheduler.advanceMillis(1);
        coalescer.accept(text("b"));
        coalescer.accept(call);
        coalescer.accept(usage);
        scheduler.advanceMillis(1);
        coalescer.accept(text("c"));
        coalescer.accept(finish);
        assertEquals(List.of(text("a"), text("b"), call, usage, text("c"), finish), out);
        assertEquals(0, scheduler.pendingCount());
    }

    @Test
    void flush_withHeldTextAndTimer_emitsEverythingAndCancelsTheTimer() {
        Coalescer coalescer = coalescer(0, 100);
        coalescer.accept(text("a"));
        coalescer.accept(text("b"));
        assertEquals(1, scheduler.pendingCount());
        coalescer.flush();
        assertEquals(List.of(text("a"), text("b")), out);
        assertEquals(0, scheduler.pendingCount());
        coalescer.flush();
        assertEquals(2, out.size());
    }

    @Test
    void close_withPendingTimer_cancelsItAndEmitsNothingMore() {
        Coalescer coalescer = coalescer(0, 100);
        coalescer.accept(text("a"));
        coalescer.accept(text("b"));
        coalescer.close();
        assertEquals(0, scheduler.pendingCount());
        scheduler.advanceMillis(500);
        coalescer.accept(text("c"));
        coalescer.flush();
        assertEquals(List.of(text("a")), out);
    }

    @Test
    void timer_cancelledButAlreadyDue_doesNotEmitTwice() {
        List<Runnable> captured = new ArrayList<>();
        TaskScheduler capturing = new TaskScheduler() {
            @Override
            public long nanoTime() {
                return scheduler.nanoTime();
            }

            @Override
            public Runnable schedule(Runnable task, long delayNanos) {
                captured.add(task);
                return () -> { };
            }
        };
        Coalescer coalescer = new Coalescer(new Coalescer.Options(0, 100), capturing, out::add);
        coalescer.accept(text("a"));
        coalescer.accept(text("b"));
        coalescer.flush();
        coalescer.accept(text("c"));
        captured.get(0).run();
        assertEquals(List.of(text("a"), text("b")), out);
        captured.get(1).run();
        assertEquals(List.of(text("a"), text("b"), text("c")), out);
    }

    @Test
    void accept_batchEndingInHighSurrogate_keepsItForTheNextChunk() {
        Coalescer coalescer = coalescer(3, 0);
        coalescer.accept(text("ab\uD83D"));
        assertEquals(List.of(text("ab")), out);
        coalescer.accept(text("\uDE00cd"));
        assertEquals(List.of(text("ab"), text("\uD83D\uDE00cd")), out);
    }

    @Test
    void flush_heldLoneHighSurrogate_isEmittedNotLost() {
        Coalescer coalescer = coalescer(1, 0);
        coalescer.accept(text("\uD83D"));
        assertEquals(List.of(), out);
        coalescer.flush();
        assertEquals(List.of(text("\uD83D")), out);
    }

    @Test
    void accept_emptyChunkOfTheOtherType_isNoTypeChange() {
        Coalescer coalescer = coalescer(3, 0);
        coalescer.accept(reasoning("a\uD83D"));
        coalescer.accept(text(""));
        coalescer.accept(reasoning("\uDE00b"));
        assertEquals(List.of(reasoning("a\uD83D\uDE00b")), out);
    }

    @Test
    void accept_emptyTextInBatchingMode_emitsNothing() {
        Coalescer coalescer = coalescer(0, 100);
        coalescer.accept(text(""));
        coalescer.flush();
        assertEquals(List.of(), out);
        assertEquals(0, scheduler.pendingCount());
    }
}
