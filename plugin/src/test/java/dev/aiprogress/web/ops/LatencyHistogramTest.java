package dev.aiprogress.web.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyHistogramTest {

    static final long MS = 1_000_000L;

    @Test
    void record_valuesInBuckets_giveCumulativeCountsAndQuantileBounds() {
        LatencyHistogram h = new LatencyHistogram(new long[] {10 * MS, 100 * MS, 1_000 * MS});
        for (int i = 0; i < 98; i++) {
            h.record(5 * MS);
        }
        h.record(50 * MS);
        h.record(5_000 * MS);
        assertArrayEquals(new long[] {98, 99, 99, 100}, h.cumulative());
        assertEquals(100, h.count());
        assertEquals(98 * 5 * MS + 50 * MS + 5_000 * MS, h.sumNanos());
        assertEquals(10 * MS, h.quantileNanos(0.5));
        assertEquals(100 * MS, h.quantileNanos(0.99));
        assertEquals(1_000 * MS, h.quantileNanos(1.0), "the overflow bucket reports the last finite bound");
    }

    @Test
    void quantile_empty_isZero() {
        assertEquals(0, new LatencyHistogram(LatencyHistogram.OVERHEAD_BOUNDS_NANOS).quantileNanos(0.99));
    }

    @Test
    void record_onABound_countsInThatBucket() {
        LatencyHistogram h = new LatencyHistogram(new long[] {10, 20});
        h.record(10);
        h.record(11);
        h.record(-5);
        assertArrayEquals(new long[] {2, 3, 3}, h.cumulative());
    }

    @Test
    void add_anotherHistogram_sumsBucketsAndSums() {
        LatencyHistogram a = new LatencyHistogram(new long[] {10, 20});
        LatencyHistogram b = new LatencyHistogram(new long[] {10, 20});
        a.record(5);
        b.record(15);
        b.record(25);
        a.add(b);
        assertArrayEquals(new long[] {1, 2, 3}, a.cumulative());
        assertEquals(45, a.sumNanos());
    }
}
