package dev.aiprogress.provider.sse;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On a manual clock: a task "takes" time by advancing it. */
class LightTasksInlineTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final List<Runnable> pooled = new ArrayList<>();
    private final LightTasksInline executor = new LightTasksInline(pooled::add, 0.5, 0.25, clock::get);

    private Runnable work(long millis, List<Thread> ranOn) {
        return () -> {
            ranOn.add(Thread.currentThread());
            clock.addAndGet(millis * MS);
        };
    }

    @Test
    void execute_lightLoad_runsOnTheCallingThread() {
        List<Thread> ranOn = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            executor.execute(work(0, ranOn));
            clock.addAndGet(MS); // 1 ms apart, no work: idle
        }
        assertEquals(100, ranOn.size());
        assertTrue(ranOn.stream().allMatch(t -> t == Thread.currentThread()));
        assertTrue(pooled.isEmpty());
    }

    @Test
    void execute_pastHalfACoreInAWindow_nextWindowGoesToThePool() {
        List<Thread> ranOn = new ArrayList<>();
        executor.execute(work(30, ranOn)); // 30 ms busy in a 50 ms window
        clock.addAndGet(25 * MS);          // the window is over
        executor.execute(work(1, ranOn));
        assertTrue(executor.offloading());
        assertEquals(1, pooled.size(), "the second task is the pool's");
        assertEquals(1, ranOn.size());
    }

    @Test
    void execute_offloadedThenQuiet_comesBackInlineBelowAQuarter() {
        List<Thread> ranOn = new ArrayList<>();
        executor.execute(work(30, ranOn));
        clock.addAndGet(25 * MS);
        executor.execute(work(20, ranOn)); // offloaded: 20 ms of pooled work this window
        pooled.remove(0).run();
        clock.addAndGet(40 * MS);
        executor.execute(work(1, ranOn)); // decided on 20 ms: above a quarter, stays offloaded
        assertTrue(executor.offloading());
        pooled.remove(0).run();
        clock.addAndGet(60 * MS);
        executor.execute(work(1, ranOn)); // decided on 1 ms: inline again
        assertFalse(executor.offloading());
        assertSame(Thread.currentThread(), ranOn.get(ranOn.size() - 1));
        assertTrue(pooled.isEmpty());
    }

    @Test
    void execute_nestedInline_countedOnce() {
        List<Thread> ranOn = new ArrayList<>();
        // 20 ms outer including a 10 ms nested task: 20 ms of work, under half a core
        executor.execute(() -> {
            clock.addAndGet(10 * MS);
            executor.execute(work(10, ranOn));
        });
        clock.addAndGet(40 * MS);
        executor.execute(work(0, ranOn));
        assertFalse(executor.offloading(), "20 ms counted, not 30");
        assertTrue(pooled.isEmpty());
    }
}
