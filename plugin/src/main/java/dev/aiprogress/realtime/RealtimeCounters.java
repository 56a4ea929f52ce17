package dev.aiprogress.realtime;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the realtime side, shared by the hub and every outbox; cheap to bump from any thread. */
public final class RealtimeCounters {

    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder overflowCloses = new LongAdder();
    private final LongAdder merges = new LongAdder();
    private final LongAdder deliveredBytes = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder socketIoSockets = new LongAdder();
    private final LongAdder plainSockets = new LongAdder();

    /** The two realtime protocols, as metric labels. */
    public enum Transport {
        SOCKETIO("socketio"), PLAIN("plain");

        private final String label;

        Transport(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    void published() {
        published.increment();
    }

    void delivered() {
        delivered.increment();
    }

    void deliveredBytes(int bytes) {
        deliveredBytes.add(bytes);
    }

    void replayed(int events) {
        replayed.add(events);
    }

    /** A WebSocket of this transport opened; pair every call with one {@link #socketClosed}. */
    public void socketOpened(Transport transport) {
        sockets(transport).increment();
    }

    public void socketClosed(Transport transport) {
        sockets(transport).decrement();
    }

    private LongAdder sockets(Transport transport) {
        return transport == Transport.SOCKETIO ? socketIoSockets : plainSockets;
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

    /** UTF-8 bytes of the event frames written to sockets. */
    public long deliveredBytesCount() {
        return deliveredBytes.sum();
    }

    /** Events queued for a socket from the replay window (a new socket's catch-up, or a recovery). */
    public long replayedCount() {
        return replayed.sum();
    }

    /** WebSockets open now on this transport. */
    public long openSockets(Transport transport) {
        return sockets(transport).sum();
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
