package dev.aiprogress.testsupport;

import dev.aiprogress.stream.TaskScheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The tests' one manual time line: a {@link TaskScheduler}, a {@link ScheduledExecutorService} and a
 * wall {@link Clock} whose time only moves when the test says so ({@link #advance}). Tasks run on the
 * test's thread, inside {@code advance}, in due-time order (ties in scheduling order), with the clock
 * set to each task's due time while it runs; a task scheduled by a running task runs in the same
 * advance if it falls due within it. Periodic executor tasks are due again a period after each run.
 * {@code execute} runs at once. Every task ever scheduled is kept ({@link #scheduled()}), so tests
 * assert the delays asked for instead of timings. Thread-safe; tasks run outside its lock.
 */
public final class ManualScheduler extends AbstractExecutorService implements TaskScheduler, ScheduledExecutorService {

    /** Wall-clock time at the start of the time line ({@link #clock()}). */
    public static final Instant EPOCH = Instant.parse("2026-11-24T10:15:30.000Z");

    /** One scheduled task (and, for an executor task, its future). */
    public final class Scheduled implements ScheduledFuture<Object> {
        private final Duration delay;
        private final long order;
        private final long periodNanos;
        private final Runnable task;
        private long dueNanos;
        private boolean cancelled;
        private boolean ran;

        private Scheduled(Duration delay, long dueNanos, long periodNanos, long order, Runnable task) {
            this.delay = delay;
            this.dueNanos = dueNanos;
            this.periodNanos = periodNanos;
            this.order = order;
            this.task = task;
        }

        /** The delay it was scheduled with. */
        public Duration delay() {
            return delay;
        }

        /** Cancelled before it ran. */
        public boolean cancelled() {
            synchronized (ManualScheduler.this) {
                return cancelled;
            }
        }

        /** A one-shot task that has run (or is running). */
        public boolean ran() {
            synchronized (ManualScheduler.this) {
                return ran;
            }
        }

        /** Neither run nor cancelled. */
        public boolean pending() {
            synchronized (ManualScheduler.this) {
                return pendingList.contains(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduler.this) {
                if (ran || cancelled) {
                    return false;
                }
                cancelled = true;
                pendingList.remove(this);
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled();
        }

        @Override
        public boolean isDone() {
            synchronized (ManualScheduler.this) {
                return ran || cancelled;
            }
        }

        @Override
        public Object get() throws ExecutionException {
            throw new UnsupportedOperationException("not needed by the code under test");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) throws ExecutionException {
            throw new UnsupportedOperationException("not needed by the code under test");
        }
    }

    private final long startNanos;
    private final List<Scheduled> all = new ArrayList<>();
    private final List<Scheduled> pendingList = new ArrayList<>();
    private long nowNanos;
    private long nextOrder;
    private boolean shutdown;

    /** Starts the clock at an arbitrary non-zero value, so code cannot rely on time starting at 0. */
    public ManualScheduler() {
        this(1_000_000_000L);
    }

    public ManualScheduler(long startNanos) {
        this.startNanos = startNanos;
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
        Scheduled scheduled = add(task, delayNanos, 0);
        return () -> scheduled.cancel(false);
    }

    private synchronized Scheduled add(Runnable task, long delayNanos, long periodNanos) {
        Scheduled s = new Scheduled(Duration.ofNanos(delayNanos), nowNanos + Math.max(0, delayNanos), periodNanos,
                nextOrder++, task);
        all.add(s);
        pendingList.add(s);
        return s;
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
                next = pendingList.stream()
                        .filter(s -> s.dueNanos <= target)
                        .min(Comparator.comparingLong((Scheduled s) -> s.dueNanos).thenComparingLong(s -> s.order))
                        .orElse(null);
                if (next == null) {
                    nowNanos = target;
                    return;
                }
                pendingList.remove(next);
                nowNanos = Math.max(nowNanos, next.dueNanos);
                if (next.periodNanos == 0) {
                    next.ran = true;
                }
            }
            next.task.run();
            synchronized (this) {
                if (next.periodNanos > 0 && !next.cancelled && !shutdown) {
                    next.dueNanos = nowNanos + next.periodNanos;
                    pendingList.add(next);
                }
            }
        }
    }

    /** Tasks scheduled and neither run nor cancelled (a closed session must leave none). */
    public synchronized int pendingCount() {
        return pendingList.size();
    }

    /** Every task ever scheduled, in scheduling order. */
    public synchronized List<Scheduled> scheduled() {
        return List.copyOf(all);
    }

    /** The tasks neither run nor cancelled, in scheduling order. */
    public synchronized List<Scheduled> pending() {
        return all.stream().filter(pendingList::contains).toList();
    }

    /** The current time as a wall clock (UTC): {@link #EPOCH} at the start, moving with {@link #advance}. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("UTC only");
            }

            @Override
            public Instant instant() {
                return EPOCH.plusNanos(nanoTime() - startNanos);
            }
        };
    }

    // ---------------------------------------------------------------- as a ScheduledExecutorService

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not needed by the code under test");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(initialDelay), unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        pendingList.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException("not needed by the code under test");
    }
}
