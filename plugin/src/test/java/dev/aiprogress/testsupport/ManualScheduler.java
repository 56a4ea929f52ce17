package dev.aiprogress.testsupport;

import dev.aiprogress.stream.TaskScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link TaskScheduler} whose clock only moves when the test says so. Tasks run on the test's
 * thread, inside {@link #advance}, in due-time order (ties in scheduling order), with the clock set
 * to each task's due time while it runs; a task scheduled by a running task runs in the same advance
 * if it falls due within it.
 */
public final class ManualScheduler implements TaskScheduler {

    private record Scheduled(long dueNanos, long order, Runnable task) {
    }

    private final List<Scheduled> pending = new ArrayList<>();
    private long nowNanos;
    private long nextOrder;

    /** Starts the clock at an arbitrary non-zero value, so code cannot rely on time starting at 0. */
    public ManualScheduler() {
        this(1_000_000_000L);
    }

    public ManualScheduler(long startNanos) {
        this.nowNanos = startNanos;
    }

    @Override
    public synchronized long nanoTime() {
        return nowNanos;
    }

    @Override
    public synchronized Runnable schedule(Runnable task, long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delayNanos must be >= 0, was " + delayNanos);
        }
        Scheduled scheduled = new Scheduled(nowNanos + delayNanos, nextOrder++, task);
        pending.add(scheduled);
        return () -> {
            synchronized (this) {
                pending.remove(scheduled);
            }
        };
    }

    /** Moves the clock forward, running every task that falls due on the way. */
    public void advance(Duration by) {
        advanceNanos(by.toNanos());
    }

    public void advanceMillis(long millis) {
        advanceNanos(millis * 1_000_000L);
    }

    public void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward: " + nanos);
        }
        long target;
        synchronized (this) {
            target = nowNanos + nanos;
        }
        while (true) {
            Scheduled next;
            synchronized (this) {
                next = pending.stream()
                        .filter(s -> s.dueNanos() <= target)
                        .min(Comparator.comparingLong(Scheduled::dueNanos).thenComparingLong(Scheduled::order))
                        .orElse(null);
                if (next == null) {
                    nowNanos = target;
                    return;
                }
                pending.remove(next);
                nowNanos = Math.max(nowNanos, next.dueNanos());
            }
            next.task().run();
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public synchronized int pendingCount() {
        return pending.size();
    }
}
