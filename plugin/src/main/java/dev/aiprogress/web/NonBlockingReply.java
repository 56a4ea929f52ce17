package dev.aiprogress.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes an async response with servlet non-blocking I/O: pieces are queued from any thread and
 * written only while {@link ServletOutputStream#isReady()} says so, each flushed as it goes
 * (one SSE event per flush). No thread ever waits on a slow client.
 *
 * <p>While nothing else is written, a heartbeat piece goes out every few seconds (a JSON-legal
 * leading space for the JSON reply, an SSE comment for SSE): a servlet container notices a vanished
 * client only when it writes, and that is how a disconnect turns into a cancel of the generation.
 *
 * <p>Guarded by {@code this}: the queue, the flags and every call on the output stream.
 */
final class NonBlockingReply implements WriteListener, AsyncListener {

    /** What the owner learns about the client side. */
    interface Events {
        /** The client went away or the write failed: cancel the work behind this reply. */
        void onClientGone(Throwable cause);

        /** The container's async timeout fired before the reply was finished. */
        void onAsyncTimeout();
    }

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Events events;
    private final byte[] heartbeat;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final ScheduledFuture<?> heartbeatTask;
    private boolean finishing;
    private boolean done;
    private boolean flushPending;
    private boolean wroteSinceHeartbeat;

    private NonBlockingReply(AsyncContext async, ServletOutputStream out, Events events, String heartbeat,
                             ScheduledExecutorService scheduler, long heartbeatMillis) {
        this.async = async;
        this.out = out;
        this.events = events;
        this.heartbeat = heartbeat.getBytes(StandardCharsets.UTF_8);
        this.heartbeatTask = scheduler.scheduleWithFixedDelay(this::beat, heartbeatMillis, heartbeatMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Takes over the response of a started async request. Headers and status must be set before.
     *
     * @param heartbeat piece written when idle: {@code " "} for JSON, {@code ": keep-alive\n\n"} for SSE
     */
    static NonBlockingReply start(AsyncContext async, Events events, String heartbeat,
                                  ScheduledExecutorService scheduler, long heartbeatMillis) throws IOException {
        Objects.requireNonNull(events, "events");
        ServletOutputStream out = async.getResponse().getOutputStream();
        NonBlockingReply reply = new NonBlockingReply(async, out, events, heartbeat, scheduler, heartbeatMillis);
        ContainerQuirks.addAsyncListener(async, reply);
        out.setWriteListener(reply);
        return reply;
    }

    /** Queues one piece (an SSE event, say); it is flushed on its own. */
    void write(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (finishing || done) {
                return;
            }
            queue.add(bytes);
            wroteSinceHeartbeat = true;
            drain();
        }
    }

    /** Queues the last piece; the async request completes once everything is written. */
    void finish(String lastPiece) {
        synchronized (this) {
            if (finishing || done) {
                return;
            }
            if (!lastPiece.isEmpty()) {
                queue.add(lastPiece.getBytes(StandardCharsets.UTF_8));
            }
            finishing = true;
            heartbeatTask.cancel(false);
            drain();
        }
    }

    synchronized boolean isDone() {
        return done;
    }

    private void beat() {
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
                drain();
            }
        }
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            drain();
        }
    }

    /** Writes while the container accepts bytes; called with the lock held. */
    private void drain() {
        if (done) {
            return;
        }
        try {
            while (out.isReady()) {
                if (flushPending) {
                    flushPending = false;
                    out.flush();
                    continue;
                }
                byte[] next = queue.poll();
                if (next == null) {
                    if (finishing) {
                        done = true;
                        async.complete();
                    }
                    return;
                }
                out.write(next);
                flushPending = true;
            }
        } catch (IOException | IllegalStateException e) {
            clientGone(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        clientGone(t);
    }

    private void clientGone(Throwable cause) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            queue.clear();
            heartbeatTask.cancel(false);
        }
        events.onClientGone(cause);
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the container completed it while reporting the error
        }
    }

    // AsyncListener

    @Override
    public void onComplete(AsyncEvent event) {
        synchronized (this) {
            done = true;
            heartbeatTask.cancel(false);
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        events.onAsyncTimeout();
    }

    @Override
    public void onError(AsyncEvent event) {
        clientGone(event.getThrowable() == null ? new IOException("async error") : event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
