package dev.aiprogress.gateway;

import dev.aiprogress.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LockingSchedulerTest {

    @Test
    void schedule_taskRuns_holdingTheLockAfterTheSameDelay() {
        ManualScheduler manual = new ManualScheduler();
        Object lock = new Object();
        List<Boolean> held = new ArrayList<>();
        new LockingScheduler(manual, lock).schedule(() -> held.add(Thread.holdsLock(lock)), 100_000_000L);

        assertEquals(List.of(Duration.ofMillis(100)), manual.scheduled().stream()
                .map(ManualScheduler.Scheduled::delay).toList());
        manual.advanceMillis(100);
        assertEquals(List.of(true), held);
    }

    @Test
    void schedule_cancelled_neverRuns() {
        ManualScheduler manual = new ManualScheduler();
        List<String> ran = new ArrayList<>();
        Runnable cancel = new LockingScheduler(manual, new Object()).schedule(() -> ran.add("x"), 1_000L);
        cancel.run();
        manual.advanceMillis(1);

        assertEquals(List.of(), ran);
    }
}
