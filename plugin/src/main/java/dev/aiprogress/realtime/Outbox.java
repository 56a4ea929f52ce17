package dev.aiprogress.realtime;

import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.metrics.ChunkClock;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The send queue of one socket, after OkHttp's {@code RealWebSocket}: producers {@link #offer} and
 * never block; exactly one asynchronous send is in flight (Tomcat throws on a second concurrent
 * {@code sendText}); control frames (pings, protocol replies) jump the event queue; while events
 * wait, a delta of the same task and type as the last queued one is merged into it (lossless, keeps
 * the later seq and offset); past its bound in events or bytes the socket is closed with
 * {@value #OVERFLOW_CODE} "{@value #OVERFLOW_REASON}" instead of buffering without end.
 *
 * <p>All mutable state is guarded by {@code this}; the sink is called outside the lock.
 */
public final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    /** How an event becomes a text frame on this socket's protocol. */
    public interface Framing {
        String frame(String eventJson, long offset);

        /** The same with the {@link SharedFrame#offsetSuffix()} a hub on many nodes adds to the offset. */
        default String frame(String eventJson, long offset, String offsetSuffix) {
            return frame(eventJson, offset);
        }
    }

    public static final int OVERFLOW_CODE = 1008;
    public static final String OVERFLOW_REASON = "outbox overflow";

    private final FrameSink sink;
    private final Framing framing;
    private final Function<ProgressEvent, String> toJson;
    private final RealtimeCounters counters;
    private final int maxEvents;
    private final long maxBytes;

    /** Frames that jump the queue, in order: pings, CONNECT replies, acks. Guarded by this. */
    private final ArrayDeque<String> control = new ArrayDeque<>(1); // small: most sockets idle (T8, ~150 B saved)
    /** Events waiting for the socket, oldest first. Guarded by this. */
    private final ArrayDeque<Queued> events = new ArrayDeque<>(3);
    /** UTF-8 bytes of the JSON in {@link #events}, terminal events not counted ({@link #countedBytes}). Guarded by this. */
    private long queuedBytes;
    /** True from handing a frame to the sink until its completion ran. Guarded by this. */
    private boolean sending;
    /** Set once; after it nothing is sent. Guarded by this. */
    private boolean closed;
    /** Close code and reason to apply once everything queued is written; null until asked. Guarded by this. */
    private int closeCode;
    private String closeReason;
    /** Run once when the outbox closes, whatever the cause (the hub detaches the socket). Guarded by this. */
    private Runnable onClosed = () -> { };
    /** While true only control frames go out: a CONNECT reply must precede replayed events. Guarded by this. */
    private boolean eventsHeld;

    public Outbox(FrameSink sink, Framing framing, Function<ProgressEvent, String> toJson, RealtimeCounters counters,
                  int maxEvents, long maxBytes) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.framing = Objects.requireNonNull(framing, "framing");
        this.toJson = Objects.requireNonNull(toJson, "toJson");
        this.counters = Objects.requireNonNull(counters, "counters");
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("outbox bounds must be positive");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /**
     * Queues one event, already serialised as {@code json}. Returns false when the socket is closed
     * or this event pushed it past its bound (it is then closed).
     */
    public boolean offer(ProgressEvent event, String json, long offset) {
        return offer(event, new SharedFrame(json, offset, countedBytes(event, json)));
    }

    /**
     * Queues one event whose frame may be shared with the other sockets it is published to: the
     * text frame is built once per framing (the {@link Hub} passes one per publish).
     */
    public boolean offer(ProgressEvent event, SharedFrame frame) {
        boolean overflowed = false;
        synchronized (this) {
            if (closed) {
                return false;
            }
            Queued last = events.peekLast();
            if (last != null && mergeable(last.event, event)) {
                ProgressEvent merged = last.event.mergedWith(event);
                String mergedJson = toJson.apply(merged);
                int mergedBytes = utf8Length(mergedJson);
                queuedBytes += mergedBytes - last.frame.countedBytes;
                events.pollLast();
                events.addLast(new Queued(merged, new SharedFrame(mergedJson, frame.offset, mergedBytes, frame.offsetSuffix)));
                counters.merged();
            } else {
                events.addLast(new Queued(event, frame));
                queuedBytes += frame.countedBytes;
            }
            if (events.size() > maxEvents || queuedBytes > maxBytes) {
                closed = true;
                overflowed = true;
                events.clear();
                control.clear();
                queuedBytes = 0;
            }
        }
        if (overflowed) {
            overflow();
            return false;
        }
        pump();
        return true;
    }

    /** Registers what to run once this outbox closes; runs it now if it already has. */
    public void whenClosed(Runnable action) {
        Objects.requireNonNull(action, "action");
        boolean now;
        synchronized (this) {
            now = closed;
            if (!now) {
                Runnable before = onClosed;
                onClosed = () -> {
                    before.run();
                    action.run();
                };
            }
        }
        if (now) {
            action.run();
        }
    }

    /** Holds events back (control frames still flow) until {@link #releaseEvents()}. */
    public synchronized void holdEvents() {
        eventsHeld = true;
    }

    public void releaseEvents() {
        synchronized (this) {
            eventsHeld = false;
        }
        pump();
    }

    /** Queues a protocol frame ahead of every waiting event (after the one in flight). */
    public void sendControl(String frame) {
        synchronized (this) {
            if (closed) {
                return;
            }
            control.addLast(frame);
        }
        pump();
    }

    /** Drops whatever waits and closes the socket; later calls do nothing. */
    public void close(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            events.clear();
            control.clear();
            queuedBytes = 0;
        }
        closed();
        sink.close(code, reason);
    }

    /** Writes what is queued (control frames, and events unless held), then closes. */
    public void closeWhenDrained(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closeCode = code;
            closeReason = reason;
        }
        pump();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void overflow() {
        counters.overflowClose();
        LOG.log(System.Logger.Level.INFO, "AIP-042 closing a slow socket: outbox passed {0} events or {1} bytes",
                maxEvents, maxBytes);
        closed();
        sink.abandon(OVERFLOW_CODE, OVERFLOW_REASON);
    }

    private void closed() {
        Runnable action;
        synchronized (this) {
            action = onClosed;
            onClosed = () -> { };
        }
        action.run();
    }

    private static boolean mergeable(ProgressEvent queued, ProgressEvent next) {
        return queued.type().isDelta() && queued.type() == next.type() && queued.taskId().equals(next.taskId());
    }

    /**
     * Sends frames until the queue is empty or a send is still running. A sink may complete a send
     * on the calling thread; that completion only marks it done and this loop continues, so a long
     * queue never recurses.
     */
    private void pump() {
        boolean drainedClose = false;
        while (true) {
            String frame;
            boolean isEvent;
            synchronized (this) {
                if (sending || closed) {
                    return;
                }
                String next = control.pollFirst();
                isEvent = next == null;
                if (isEvent) {
                    Queued q = eventsHeld ? null : events.pollFirst();
                    if (q == null) {
                        if (closeReason != null) {
                            closed = true;
                            events.clear();
                            queuedBytes = 0;
                            drainedClose = true;
                        } else {
                            return;
                        }
                    }
                    if (drainedClose) {
                        break;
                    }
                    queuedBytes -= q.frame.countedBytes;
                    next = q.frame.frame(framing);
                }
                frame = next;
                sending = true;
            }
            if (isEvent) {
                counters.delivered();
                counters.deliveredBytes(utf8Length(frame));
                ChunkClock.handedToSocket();
            }
            SendCompletion completion = new SendCompletion();
            try {
                sink.sendText(frame, completion);
            } catch (RuntimeException e) {
                completion.done(Optional.of(e));
            }
            if (!completion.returnedFromSend()) {
                return;
            }
        }
        closed();
        sink.close(closeCode, closeReason);
    }

    private void sent(Optional<Throwable> failure) {
        synchronized (this) {
            sending = false;
        }
        if (failure.isPresent()) {
            close(1011, "send failed");
        }
    }

    /** Tells {@link #pump} whether the send completed inline (keep looping) or will complete later (callback pumps). */
    private final class SendCompletion implements FrameSink.Completion {
        private boolean returned;
        private boolean completedInline;

        @Override
        public void done(Optional<Throwable> failure) {
            boolean later;
            synchronized (this) {
                later = returned;
                completedInline = !returned;
            }
            sent(failure);
            if (later) {
                pump();
            }
        }

        synchronized boolean returnedFromSend() {
            returned = true;
            return completedInline;
        }
    }

    private record Queued(ProgressEvent event, SharedFrame frame) {
    }

    /**
     * One event as published: its JSON, offset and weight, and the text frame built from them,
     * once per framing, for every socket it goes to (fan-out builds {@code 42[...]} once, not once
     * per socket). Sockets of one protocol share one {@link Framing} instance; the cache holds the
     * last framing used, which is the only one in the common case. Thread-safe: a race only builds
     * the same frame twice.
     */
    public static final class SharedFrame {
        private final String json;
        private final long offset;
        private final int countedBytes;
        /** Null on one node; see {@link #offsetSuffix()}. */
        private final String offsetSuffix;
        private volatile Built built;

        public SharedFrame(String json, long offset, int countedBytes) {
            this(json, offset, countedBytes, null);
        }

        public SharedFrame(String json, long offset, int countedBytes, String offsetSuffix) {
            this.json = Objects.requireNonNull(json, "json");
            this.offset = offset;
            this.countedBytes = countedBytes;
            this.offsetSuffix = offsetSuffix;
        }

        /**
         * What a hub on many nodes appends to the offset so that it means the same on every node
         * (the node and the user's tasks as seen at this event; see {@link Hub#recover}), or null.
         */
        public String offsetSuffix() {
            return offsetSuffix;
        }

        String frame(Framing framing) {
            Built b = built;
            if (b != null && b.framing == framing) {
                return b.frame;
            }
            String frame = offsetSuffix == null ? framing.frame(json, offset) : framing.frame(json, offset, offsetSuffix);
            built = new Built(framing, frame);
            return frame;
        }

        private record Built(Framing framing, String frame) {
        }
    }

    /**
     * What an event weighs against the byte bounds (outbox and replay window): its UTF-8 length,
     * except terminal events ({@code completion}, {@code error}, {@code complete}) weigh nothing.
     * A {@code completion} repeats the task's whole text, so its size measures the task, not how
     * far a socket lags; counting it would close healthy sockets (and empty the replay window) at
     * the end of every long answer. Their number is still bounded by the event count.
     */
    static int countedBytes(ProgressEvent event, String json) {
        return event.type().isTerminal() ? 0 : utf8Length(json);
    }

    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c)) {
                    bytes += 2;
                    k++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
