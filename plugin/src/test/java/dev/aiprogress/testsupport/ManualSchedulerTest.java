package dev.aiprogress.testsupport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ManualSchedulerTest {

    private final ManualScheduler scheduler = new ManualScheduler(0);
    private final List<String> ran = new ArrayList<>();

    @Test
    void advance_pastSeveralTasks_runsThemInDueOrderWithTheClockAtEachDueTime() {
        scheduler.schedule(() -> ran.add("b@" + scheduler.nanoTime()), 20);
        scheduler.schedule(() -> ran.add("a@" + scheduler.nanoTime()), 10);
        scheduler.schedule(() -> ran.add("c@" + scheduler.nanoTime()), 20);
        scheduler.advanceNanos(25);
        assertEquals(List.of("a@10", "b@20", "c@20"), ran);
        assertEquals(25, scheduler.nanoTime());
    }

    @Test
    void advance_beforeDueTime_runsNothing() {
        scheduler.schedule(() -> ran.add("a"), 10);
        scheduler.advanceNanos(9);
        assertEquals(List.of(), ran);
        assertEquals(1, scheduler.pendingCount());
    }

    @Test
    void cancel_beforeDue_taskNeverRuns() {
        Runnable cancel = scheduler.schedule(() -> ran.add("a"), 10);
        cancel.run();
        scheduler.advanceNanos(100);
        assertEquals(List.of(), ran);
        assertEquals(0, scheduler.pendingCount());
    }

    @Test
    void advance_taskSchedulesAnotherDueWithinTheAdvance_runsBoth() {
        scheduler.schedule(() -> {
            ran.add("first@" + scheduler.nanoTime());
            scheduler.schedule(() -> ran.add("second@" + scheduler.nanoTime()), 5);
        }, 10);
        scheduler.advanceMillis(1);
        assertEquals(List.of("first@10", "second@15"), ran);
    }
}
