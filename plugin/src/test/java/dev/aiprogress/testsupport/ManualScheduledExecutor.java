package dev.aiprogress.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} whose clock only moves when the test calls {@link #advance}:
 * the heartbeat and timeouts of realtime sessions run on the test's thread, at exactly the time
 * they are due, so a test of a ping timeout needs no short timeout and no sleep. {@code execute}
 * runs at once. Thread-safe; tasks run outside its lock.
 */
public final class ManualScheduledExecutor extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Task> pending = new ArrayList<>();
    private long nowNanos;
    private long order;
    private boolean shutdown;

    /** Moves the clock forward, running every task that falls due on the way, in due order. */
    public void advance(Duration by) {
        long until;
        synchronized (this) {
            until = nowNanos + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = pending.stream().filter(t -> t.due <= until)
                        .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order)).orElse(null);
                if (next == null) {
                    nowNanos = until;
                    return;
                }
                pending.remove(next);
                nowNanos = Math.max(nowNanos, next.due);
            }
            next.run();
        }
    }

    /** Tasks scheduled and neither run nor cancelled (a closed session must leave none). */
    public synchronized int pendingCount() {
        return pending.size();
    }

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

    private synchronized Task add(Runnable command, long delayNanos, long periodNanos) {
        Task t = new Task(command, nowNanos + Math.max(0, delayNanos), periodNanos, order++);
        pending.add(t);
        return t;
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        pending.clear();
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

    private final class Task implements ScheduledFuture<Object> {
        private final Runnable command;
        private final long period;
        private final long order;
        private long due;
        private boolean cancelled;
        private boolean done;

        Task(Runnable command, long due, long period, long order) {
            this.command = command;
            this.due = due;
            this.period = period;
            this.order = order;
        }

        void run() {
            synchronized (ManualScheduledExecutor.this) {
                if (cancelled) {
                    return;
                }
            }
            command.run();
            synchronized (ManualScheduledExecutor.this) {
                if (period > 0 && !cancelled) {
                    due = nowNanos + period;
                    pending.add(this);
                } else {
                    done = true;
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduledExecutor.this) {
                return unit.convert(due - nowNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduledExecutor.this) {
                if (done || cancelled) {
                    return false;
                }
                cancelled = true;
                pending.remove(this);
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            synchronized (ManualScheduledExecutor.this) {
                return cancelled;
            }
        }

        @Override
        public boolean isDone() {
            synchronized (ManualScheduledExecutor.this) {
                return done || cancelled;
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

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException("not needed by the code under test");
    }
}
