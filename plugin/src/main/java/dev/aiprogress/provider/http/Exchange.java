package dev.aiprogress.provider.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response handler, from {@link UpstreamClient#send} to the handler's last
 * call. Runs on the I/O loop of the connection that carries it; only {@link #cancel()} comes from
 * other threads. The handler hears exactly one of complete or failure, and nothing after a cancel.
 */
final class Exchange implements UpstreamExchange {

    final UpstreamClient client;
    final ConnectionPool.Key key;
    /** Where to open a new connection: the upstream itself, or the proxy. */
    final InetSocketAddress address;
    /** The whole request as written on the connection (head and body). */
    private final ByteBuffer requestBytes;
    private final ResponseHandler handler;

    private volatile boolean cancelled;
    /** The loop and connection now carrying it (loop thread). */
    private volatile IoLoop loop;
    private Connection connection;
    private ScheduledFuture<?> connectTimer;
    private boolean headReceived;
    private boolean ended;
    /** A pooled connection failed before any answer: the one retry on a fresh connection is used. */
    boolean retriedFresh;

    Exchange(UpstreamClient client, ConnectionPool.Key key, InetSocketAddress address, ByteBuffer requestBytes,
             ResponseHandler handler) {
        this.client = client;
        this.key = key;
        this.address = address;
        this.requestBytes = requestBytes;
        this.handler = handler;
    }

    @Override
    public void cancel() {
        cancelled = true;
        IoLoop l = loop;
        if (l != null) {
            l.execute(this::abortOnLoop);
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    /** A fresh copy of the request bytes to write. */
    ByteBuffer request() {
        return requestBytes.duplicate();
    }

    /** Called on {@code l}'s thread when {@code c} takes the exchange. */
    void bind(IoLoop l, Connection c) {
        loop = l;
        connection = c;
        if (cancelled) {
            // cancelled before a loop was known: nothing was told to the handler, close quietly
            abortOnLoop();
        }
    }

    void armConnectTimer() {
        long nanos = client.connectTimeout().toNanos();
        connectTimer = client.scheduler().schedule(() -> {
            IoLoop l = loop;
            if (l != null) {
                l.execute(() -> {
                    Connection c = connection;
                    if (c != null) {
                        c.connectTimedOut(this);
                    }
                });
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    void connectDone() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
    }

    private void abortOnLoop() {
        connectDone();
        Connection c = connection;
        connection = null;
        ended = true;
        if (c != null) {
            c.abort(this);
        }
    }

    // ---- to the handler (loop thread) ---------------------------------------------------------

    void head(ResponseHead head) {
        headReceived = true;
        if (!cancelled && !ended) {
            handler.onHead(head);
        }
    }

    void body(ByteBuffer bytes) {
        if (!cancelled && !ended) {
            handler.onBody(bytes);
        }
    }

    /** The response ended; the connection has let go of the exchange. */
    void complete() {
        connectDone();
        connection = null;
        if (!cancelled && !ended) {
            ended = true;
            handler.onComplete();
        }
    }

    /** The exchange failed; the connection has let go of it. */
    void fail(IOException error) {
        connectDone();
        connection = null;
        if (!cancelled && !ended) {
            ended = true;
            handler.onFailure(error, headReceived);
        }
    }

    /** True once the handler has had its last call or the exchange was cancelled. */
    boolean over() {
        return ended || cancelled;
    }
}
