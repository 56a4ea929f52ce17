package dev.aiprogress.realtime;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the realtime side, shared by the hub and every outbox; cheap to bump from any thread. */
public final class RealtimeCounters {

    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder overflowCloses = new LongAdder();
    private final LongAdder merges = new LongAdder();

    void published() {
        published.increment();
    }

    void delivered() {
        delivered.increment();
    }

    void overflowClose() {
        overflowCloses.increment();
    }

    void merged() {
        merges.increment();
    }

    /** Events handed to {@link Hub#publish}. */
    public long publishedCount() {
        return published.sum();
    }

    /** Frames of events written to a socket (a merged frame counts once). */
    public long deliveredCount() {
        return delivered.sum();
    }

    /** Sockets closed because their outbox passed its bound. */
    public long overflowCloseCount() {
        return overflowCloses.sum();
    }

    /** Queued deltas merged into the one before them. */
    public long mergeCount() {
        return merges.sum();
    }
}
