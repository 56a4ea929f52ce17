package dev.aiprogress.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes an async response with servlet non-blocking I/O: pieces are queued from any thread and
 * written only while {@link ServletOutputStream#isReady()} says so, each flushed as it goes
 * (one SSE event per flush). No thread ever waits on a slow client. The async request is
 * completed exactly once: after the last piece is written, when the client is gone, or when the
 * container's async timeout fires.
 *
 * <p>Once {@link #startHeartbeat} was called, a heartbeat piece goes out whenever nothing else was
 * written for a heartbeat interval (a JSON-legal leading space for the JSON reply, an SSE comment
 * for SSE): a servlet container notices a vanished client only when it writes, and that is how a
 * disconnect turns into a cancel of the generation.
 *
 * <p>What waits in the queue is bounded ({@code ai-progress.http.max-buffered-bytes}): a client
 * that stopped reading an SSE reply is dropped as a slow consumer once the streamed pieces not yet
 * taken by the container pass the bound — the reply ends there and the owner is told the client is
 * gone ({@link SlowClient}), which cancels the generation just as a vanished client does. The last
 * piece ({@link #finish}) and heartbeats do not count: a long JSON reply is written whole.
 *
 * <p>Guarded by {@code this}: the queue, the flags and every call on the output stream. The owner's
 * {@link Events} are never called while holding it: the owner's generation calls {@link #write}
 * under its own lock, so calling back into it from here under ours would deadlock. A failed
 * {@link #write} does report {@link Events#onClientGone} on the writing thread, which still holds
 * the owner's own locks: the owner must not take any other lock from there (it hands the work off).
 */
final class NonBlockingReply implements WriteListener, AsyncListener {

    private static final System.Logger LOG = System.getLogger(NonBlockingReply.class.getName());
    private static final Events NO_EVENTS = new Events() {
        @Override
        public void onClientGone(Throwable cause) {
        }

        @Override
        public void onAsyncTimeout() {
        }
    };

    /** What the owner learns about the client side. Called without any lock of this class held. */
    interface Events {
        /** The client went away or the write failed: cancel the work behind this reply. */
        void onClientGone(Throwable cause);

        /**
         * The container's async timeout fired before the reply was finished. The owner may still
         * {@link #finish} the reply from this call; whatever is not written when it returns is dropped.
         */
        void onAsyncTimeout();
    }

    private final AsyncContext async;
    private final ServletOutputStream out;
    /**
     * Dropped (to {@link #NO_EVENTS}) once the request is over: a container that keeps its
     * listeners (WildFly's idle worker threads hold their last task) must not keep the owner,
     * and through it the plugin, alive.
     */
    private volatile Events events;
    private final byte[] heartbeat;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final long maxQueuedBytes;
    /** Bytes in {@link #queue}. */
    private long queuedBytes;
    /** Set once by {@link #startHeartbeat}; cancelled when the reply ends. */
    private ScheduledFuture<?> heartbeatTask;
    /** The last piece is queued: no more writes, complete when the queue is empty. */
    private boolean finishing;
    /** {@code async.complete()} was called or the client is gone: nothing is written any more. */
    private boolean done;
    private boolean flushPending;
    private boolean wroteSinceHeartbeat;
    /** Runs once when the reply is done (written, or the client gone); set before anything is written. */
    private Runnable onDone = () -> { };

    /** Why a client was dropped: it did not read while more than the bound piled up. */
    static final class SlowClient extends IOException {
        private static final long serialVersionUID = 1L;

        SlowClient(long bound) {
            super("the client stopped reading: more than " + bound
                    + " bytes waited to be written (ai-progress.http.max-buffered-bytes)");
        }
    }

    private NonBlockingReply(AsyncContext async, ServletOutputStream out, Events events, String heartbeat,
                             long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
        this.async = async;
        this.out = out;
        this.events = events;
        this.heartbeat = heartbeat.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Takes over the response of a started async request. Headers and status may still be changed
     * until the first piece is written (a rejection before any heartbeat keeps its 4xx).
     *
     * @param heartbeat piece written when idle: {@code " "} for JSON, {@code ": keep-alive\n\n"} for SSE
     */
    static NonBlockingReply start(AsyncContext async, Events events, String heartbeat) throws IOException {
        return start(async, events, heartbeat, Long.MAX_VALUE);
    }

    /** @param maxQueuedBytes streamed bytes that may wait for a slow client before it is dropped */
    static NonBlockingReply start(AsyncContext async, Events events, String heartbeat, long maxQueuedBytes)
            throws IOException {
        Objects.requireNonNull(events, "events");
        ServletOutputStream out = async.getResponse().getOutputStream();
        NonBlockingReply reply = new NonBlockingReply(async, out, events, heartbeat, maxQueuedBytes);
        ContainerQuirks.addAsyncListener(async, reply);
        out.setWriteListener(reply);
        return reply;
    }

    /** Starts the idle heartbeat; call once the reply is sure to be a 200. */
    void startHeartbeat(ScheduledExecutorService scheduler, Duration interval) {
        long millis = Math.max(1, interval.toMillis());
        synchronized (this) {
            if (finishing || done || heartbeatTask != null) {
                return;
            }
            heartbeatTask = scheduler.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Queues one piece (an SSE event, say); it is flushed on its own. */
    void write(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        Throwable failed;
        synchronized (this) {
            if (finishing || done) {
                return;
            }
            queue.add(bytes);
            queuedBytes += bytes.length;
            wroteSinceHeartbeat = true;
            failed = drainLocked();
            if (failed == null && queuedBytes > maxQueuedBytes) {
                failed = new SlowClient(maxQueuedBytes);
            }
        }
        reportIfFailed(failed);
    }

    /** Queues the last piece; the async request completes once everything is written. */
    void finish(String lastPiece) {
        Throwable failed;
        synchronized (this) {
            if (finishing || done) {
                return;
            }
            if (!lastPiece.isEmpty()) {
                byte[] bytes = lastPiece.getBytes(StandardCharsets.UTF_8);
                queue.add(bytes);
                queuedBytes += bytes.length;
            }
            finishing = true;
            stopHeartbeatLocked();
            failed = drainLocked();
        }
        reportIfFailed(failed);
    }

    synchronized boolean isDone() {
        return done;
    }

    /** {@code action} runs once when the reply is done; at once when it already is. Must not block. */
    void whenDone(Runnable action) {
        boolean now;
        synchronized (this) {
            now = done;
            if (!now) {
                onDone = action;
            }
        }
        if (now) {
            action.run();
        }
    }

    private void markDoneLocked() {
        assert Thread.holdsLock(this);
        if (!done) {
            done = true;
            Runnable action = onDone;
            onDone = () -> { };
            action.run();
        }
    }

    private void beat() {
        Throwable failed = null;
        synchronized (this) {
            if (finishing || done) {
                return;
            }
            if (wroteSinceHeartbeat) {
                wroteSinceHeartbeat = false;
                return;
            }
            // Only when the line is idle: a heartbeat never queues behind unwritten data.
            if (queue.isEmpty()) {
                queue.add(heartbeat);
                queuedBytes += heartbeat.length;
                failed = drainLocked();
            }
        }
        reportIfFailed(failed);
    }

    @Override
    public void onWritePossible() {
        Throwable failed;
        synchronized (this) {
            failed = drainLocked();
        }
        reportIfFailed(failed);
    }

    /**
     * Writes while the container accepts bytes; completes the request after the last piece.
     * Returns the write failure, if any, for the caller to report once the lock is released.
     */
    private Throwable drainLocked() {
        assert Thread.holdsLock(this);
        if (done) {
            return null;
        }
        try {
            while (out.isReady()) {
                if (flushPending) {
                    flushPending = false;
                    out.flush();
                    continue;
                }
                byte[] next = queue.poll();
                if (next != null) {
                    queuedBytes -= next.length;
                }
                if (next == null) {
                    if (finishing) {
                        completeLocked();
                    }
                    return null;
                }
                out.write(next);
                flushPending = true;
            }
            // not ready: the container calls onWritePossible (or onError) later
            return null;
        } catch (IOException | IllegalStateException e) {
            return e;
        }
    }

    private void completeLocked() {
        assert Thread.holdsLock(this);
        markDoneLocked();
        queue.clear();
        queuedBytes = 0;
        stopHeartbeatLocked();
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the container completed it after an I/O error or a timeout
        }
    }

    private void stopHeartbeatLocked() {
        assert Thread.holdsLock(this);
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
        }
    }

    private void reportIfFailed(Throwable failed) {
        if (failed != null) {
            clientGone(failed);
        }
    }

    @Override
    public void onError(Throwable t) {
        clientGone(t);
    }

    /** Completes the request (once) and tells the owner, outside the lock. */
    private void clientGone(Throwable cause) {
        Events owner = events; // read first: completing the request drops it (onComplete)
        synchronized (this) {
            if (done) {
                return;
            }
            completeLocked();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "reply write failed, client gone: " + cause);
        owner.onClientGone(cause);
    }

    // AsyncListener

    @Override
    public void onComplete(AsyncEvent event) {
        synchronized (this) {
            markDoneLocked();
            queue.clear();
            stopHeartbeatLocked();
        }
        events = NO_EVENTS;
    }

    /**
     * The owner may still finish the reply here (the container lets a timeout listener write); then
     * the request is completed by us, not by the container's error handling.
     */
    @Override
    public void onTimeout(AsyncEvent event) {
        events.onAsyncTimeout();
        synchronized (this) {
            if (!done) {
                completeLocked();
            }
        }
    }

    @Override
    public void onError(AsyncEvent event) {
        clientGone(event.getThrowable() == null ? new IOException("async error") : event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-registered: one reply per request
    }
}
