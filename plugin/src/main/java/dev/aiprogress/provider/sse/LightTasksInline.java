package dev.aiprogress.provider.sse;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The upstream client's executor: runs its tasks (body delivery → decode, split, publish) on the
 * calling thread — the client's selector — while they are light, and hands them to {@code pool}
 * when they are not. Handing every chunk to a pool thread cost ≈0.15 ms of latency and ≈30 % of
 * the server's CPU per chunk on the load harness (issue 6, T3); running everything on the one
 * selector thread cannot use more than one core. The work of the last window decides: past
 * {@code offloadAbove} of one core the next window goes to the pool, below {@code inlineBelow} it
 * comes back (hysteresis, so a busy server does not flip every window).
 */
public final class LightTasksInline implements Executor {

    /** How often the mode is reconsidered. */
    static final long WINDOW_NANOS = 50_000_000L;

    private final Executor pool;
    private final LongSupplier nanoClock;
    /** A task that runs inside another's inline run is already counted by the outer one. */
    private final ThreadLocal<Boolean> running = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final long offloadAboveNanos;
    private final long inlineBelowNanos;
    private final AtomicLong windowStart;
    private final LongAdder busyNanos = new LongAdder();
    private volatile boolean offload;

    /**
     * Offload past three quarters of a core of callback work, come back under half: on the load
     * harness the selector thread alone beat the pool up to 500 streams at 40 chunks/s (p99 +25 ms
     * vs +42 ms, 23 vs 34 µs server CPU per chunk), so it only gives way near a full core.
     */
    public LightTasksInline(Executor pool) {
        this(pool, 0.75, 0.5, System::nanoTime);
    }

    LightTasksInline(Executor pool, double offloadAboveCores, double inlineBelowCores, LongSupplier nanoClock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.offloadAboveNanos = (long) (WINDOW_NANOS * offloadAboveCores);
        this.inlineBelowNanos = (long) (WINDOW_NANOS * inlineBelowCores);
        this.windowStart = new AtomicLong(nanoClock.getAsLong());
    }

    @Override
    public void execute(Runnable task) {
        long now = nanoClock.getAsLong();
        long start = windowStart.get();
        // one thread per window wins the swap and decides
        if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
            long busy = busyNanos.sumThenReset();
            offload = offload ? busy > inlineBelowNanos : busy > offloadAboveNanos;
        }
        if (offload) {
            try {
                pool.execute(() -> timed(task));
            } catch (RejectedExecutionException shutDown) {
                // the pool is closing (undeploy): the client's task still runs, or its exchange
                // would never complete and the client would never let its selector thread end
                timed(task);
            }
        } else {
            timed(task);
        }
    }

    /** True while tasks go to the pool (for tests and operators). */
    boolean offloading() {
        return offload;
    }

    private void timed(Runnable task) {
        if (running.get()) {
            task.run();
            return;
        }
        running.set(Boolean.TRUE);
        long t0 = nanoClock.getAsLong();
        try {
            task.run();
        } finally {
            busyNanos.add(nanoClock.getAsLong() - t0);
            running.set(Boolean.FALSE);
        }
    }
}
