package dev.aiprogress.gateway;

import dev.aiprogress.testsupport.ManualClockScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LockingSchedulerTest {

    @Test
    void schedule_taskRuns_holdingTheLockAfterTheSameDelay() {
        ManualClockScheduler manual = new ManualClockScheduler();
        Object lock = new Object();
        List<Boolean> held = new ArrayList<>();
        new LockingScheduler(manual, lock).schedule(() -> held.add(Thread.holdsLock(lock)), 100_000_000L);

        assertEquals(List.of(Duration.ofMillis(100)), manual.scheduled().stream()
                .map(ManualClockScheduler.Scheduled::delay).toList());
        manual.advanceMillis(100);
        assertEquals(List.of(true), held);
    }

    @Test
    void schedule_cancelled_neverRuns() {
        ManualClockScheduler manual = new ManualClockScheduler();
        List<String> ran = new ArrayList<>();
        Runnable cancel = new LockingScheduler(manual, new Object()).schedule(() -> ran.add("x"), 1_000L);
        cancel.run();
        manual.advanceMillis(1);

        assertEquals(List.of(), ran);
    }
}
