package dev.aiprogress.gateway;

import dev.aiprogress.stream.TaskScheduler;

/**
 * A scheduler whose tasks run holding a given lock. The coalescer of a generation gets one, so
 * the lock order is always generation → coalescer: a timer flush takes the generation's lock
 * first, exactly as a delta does before calling into the coalescer, and neither can deadlock the
 * other or reorder events.
 */
final class LockingScheduler implements TaskScheduler {

    private final TaskScheduler scheduler;
    private final Object lock;

    LockingScheduler(TaskScheduler scheduler, Object lock) {
        this.scheduler = scheduler;
        this.lock = lock;
    }

    @Override
    public long nanoTime() {
        return scheduler.nanoTime();
    }

    @Override
    public Runnable schedule(Runnable task, long delayNanos) {
        return scheduler.schedule(() -> {
            synchronized (lock) {
                task.run();
            }
        }, delayNanos);
    }
}
