package dev.aiprogress.testsupport;

import dev.aiprogress.stream.TaskScheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link TaskScheduler} and a {@link Clock} on one manual time line: nothing happens until a test
 * calls {@link #advance}. Tasks due at the new time run on the calling thread, in due order.
 * Records every delay it was asked for, so tests assert scheduled delays instead of timings.
 *
 * <p>Unlike {@link ManualScheduler} it is also the generation's {@link Clock} and keeps the requested
 * delays, which the gateway's retry tests assert; the two could become one.
 */
public final class ManualClockScheduler implements TaskScheduler {

    /** One scheduled task. */
    public static final class Scheduled {
        private final Duration delay;
        private final long dueNanos;
        private final Runnable task;
        private boolean cancelled;
        private boolean ran;

        private Scheduled(Duration delay, long dueNanos, Runnable task) {
            this.delay = delay;
            this.dueNanos = dueNanos;
            this.task = task;
        }

        public Duration delay() {
            return delay;
        }

        public synchronized boolean cancelled() {
            return cancelled;
        }

        public synchronized boolean ran() {
            return ran;
        }

        public synchronized boolean pending() {
            return !cancelled && !ran;
        }
    }

    private final Instant epoch;
    private long nanos;
    private final List<Scheduled> all = new ArrayList<>();

    public ManualClockScheduler() {
        this(Instant.parse("2026-11-24T10:15:30.000Z"));
    }

    public ManualClockScheduler(Instant epoch) {
        this.epoch = epoch;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public Runnable schedule(Runnable task, long delayNanos) {
        Scheduled s;
        synchronized (this) {
            s = new Scheduled(Duration.ofNanos(delayNanos), nanos + Math.max(0, delayNanos), task);
            all.add(s);
        }
        return () -> {
            synchronized (s) {
                s.cancelled = !s.ran;
            }
        };
    }

    /** Moves time forward, running every task that falls due (including ones scheduled meanwhile). */
    public void advance(Duration by) {
        long target;
        synchronized (this) {
            target = nanos + by.toNanos();
        }
        while (true) {
            Scheduled next;
            synchronized (this) {
                next = all.stream().filter(Scheduled::pending).filter(s -> s.dueNanos <= target)
                        .min(Comparator.comparingLong(s -> s.dueNanos)).orElse(null);
                if (next == null) {
                    nanos = target;
                    return;
                }
                nanos = Math.max(nanos, next.dueNanos);
            }
            synchronized (next) {
                if (!next.pending()) {
                    continue;
                }
                next.ran = true;
            }
            next.task.run();
        }
    }

    public void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    /** Every task ever scheduled, in scheduling order. */
    public synchronized List<Scheduled> scheduled() {
        return List.copyOf(all);
    }

    /** The tasks neither run nor cancelled. */
    public synchronized List<Scheduled> pending() {
        return all.stream().filter(Scheduled::pending).toList();
    }

    /** The current time as a wall clock (UTC), moving with {@link #advance}. */
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
                return epoch.plusNanos(nanoTime());
            }
        };
    }
}
