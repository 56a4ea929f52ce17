package dev.aiprogress.stream;

/**
 * Time for code that batches or waits: a monotonic clock and delayed tasks. Production wraps a
 * shared {@code ScheduledExecutorService}; tests drive a manual clock.
 */
public interface TaskScheduler {

    long nanoTime();

    /** Runs {@code task} after {@code delayNanos}; the returned action cancels it if it has not run. */
    Runnable schedule(Runnable task, long delayNanos);
}
