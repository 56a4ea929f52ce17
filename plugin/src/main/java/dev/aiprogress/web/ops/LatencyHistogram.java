package dev.aiprogress.web.ops;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket latency histogram on {@link LongAdder}s: lock-free to record from any thread,
 * cumulative buckets for the Prometheus text format, and p50/p99 estimates (the upper bound of the
 * bucket that holds the quantile; the last finite bound for the overflow bucket).
 */
final class LatencyHistogram {

    /** Time to first token and generation duration: 5 ms … 10 min. */
    static final long[] GENERATION_BOUNDS_NANOS = millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000,
            30_000, 60_000, 120_000, 300_000, 600_000);
    /** The plugin's own work per chunk: 1 µs … 50 ms. */
    static final long[] OVERHEAD_BOUNDS_NANOS = {1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
            500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 50_000_000};

    private final long[] bounds;
    /** One per bound plus the overflow bucket (not cumulative). */
    private final LongAdder[] counts;
    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram(long[] boundsNanos) {
        this.bounds = boundsNanos.clone();
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        long v = Math.max(0L, nanos);
        int i = 0;
        while (i < bounds.length && v > bounds[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(v);
    }

    /** Adds another histogram of the same bounds into this one. */
    void add(LatencyHistogram other) {
        long[] cum = other.cumulative();
        long before = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i].add(cum[i] - before);
            before = cum[i];
        }
        sumNanos.add(other.sumNanos());
    }

    long count() {
        long n = 0;
        for (LongAdder c : counts) {
            n += c.sum();
        }
        return n;
    }

    long sumNanos() {
        return sumNanos.sum();
    }

    /** Upper bounds in nanoseconds (the overflow bucket is +Inf). */
    long[] bounds() {
        return bounds.clone();
    }

    /** Cumulative counts, one per bound then the total (+Inf). */
    long[] cumulative() {
        long[] out = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i].sum();
            out[i] = running;
        }
        return out;
    }

    /** Estimated quantile in nanoseconds (0 when empty). */
    long quantileNanos(double q) {
        long[] cum = cumulative();
        long total = cum[cum.length - 1];
        if (total == 0) {
            return 0L;
        }
        long rank = (long) Math.ceil(q * total);
        for (int i = 0; i < bounds.length; i++) {
            if (cum[i] >= rank) {
                return bounds[i];
            }
        }
        return bounds[bounds.length - 1];
    }

    private static long[] millis(long... ms) {
        long[] out = new long[ms.length];
        for (int i = 0; i < ms.length; i++) {
            out[i] = ms[i] * 1_000_000L;
        }
        return out;
    }
}
