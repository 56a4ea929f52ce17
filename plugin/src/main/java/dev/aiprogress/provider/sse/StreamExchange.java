package dev.aiprogress.provider.sse;

import dev.aiprogress.metrics.ChunkClock;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.FrameParser.StreamFailure;
import dev.aiprogress.provider.ProviderContext;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.StreamListener;
import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.stream.Delta;

import dev.aiprogress.provider.http.ResponseHandler;
import dev.aiprogress.provider.http.ResponseHead;
import dev.aiprogress.provider.http.UpstreamExchange;
import dev.aiprogress.provider.http.UpstreamRequest;

import jakarta.json.JsonException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One streaming call: the HTTP exchange, the byte → char → frame → delta pipeline, the idle
 * watchdog and cancellation. Exactly one terminal listener call: whoever flips {@code finished}
 * first (end marker, parser failure, I/O error, watchdog, {@link #cancel()}) owns it. All listener
 * calls happen while holding {@code lock}, so they are serial even when the watchdog or a cancel
 * races the body; a cancel from inside {@code onDelta} is announced after {@code onDelta} returns.
 */
final class StreamExchange implements StreamHandle {

    static final String TRUNCATED_MESSAGE = "upstream connection closed before the end of the stream";
    static final String INTERNAL_MESSAGE = "internal error while handling the stream";
    /** How much of a non-2xx body is read for its error message. */
    static final int ERROR_BODY_LIMIT = 8 * 1024;

    private static final System.Logger LOG = System.getLogger(StreamExchange.class.getName());

    private final WireDialect dialect;
    private final FrameParser parser;
    private final ProviderContext context;
    private final long idleNanos;
    private final Duration idleTimeout;
    private final SecretRedactor redactor;
    private final StreamListener listener;
    private final Object lock = new Object();
    private final Consumer<Delta> deltaOut = this::deliver;

    /** Guarded by lock: the listener has had its terminal call. */
    private boolean finished;
    /** Guarded by lock: a listener call is running on the thread holding the lock. */
    private boolean insideListener;
    /** Guarded by lock: a failure decided during a listener call, delivered right after it. */
    private ProviderFailure deferredFailure;
    /** Guarded by lock: the upstream connection has been given up (cancel, timeout, error, end of body). */
    private boolean upstreamClosed;
    /** Guarded by lock: the request in flight, cancelled to close the connection. */
    private UpstreamExchange call;
    /** Guarded by lock: the idle watchdog's next check. */
    private ScheduledFuture<?> watchdog;
    /** The status line and headers arrived: later I/O errors are truncations, not connect failures. */
    private volatile boolean headReceived;
    /** Last time bytes (or the response head) arrived; read by the watchdog thread. */
    private volatile long lastActivity;

    StreamExchange(WireDialect dialect, FrameParser parser, ProviderContext context, Duration idleTimeout,
                   SecretRedactor redactor, StreamListener listener) {
        this.dialect = dialect;
        this.parser = parser;
        this.context = context;
        this.idleTimeout = idleTimeout;
        this.idleNanos = Math.max(1, idleTimeout.toNanos());
        this.redactor = redactor;
        this.listener = listener;
    }

    void start(UpstreamRequest request) {
        lastActivity = System.nanoTime();
        synchronized (lock) {
            scheduleWatchdog(idleNanos);
        }
        UpstreamExchange exchange;
        try {
            exchange = context.upstream().send(request, new Response());
        } catch (RuntimeException e) {
            synchronized (lock) {
                upstreamClosed = true;
                cancelWatchdogLocked();
            }
            throw e;
        }
        boolean abort;
        synchronized (lock) {
            call = exchange;
            abort = upstreamClosed;
        }
        if (abort) {
            exchange.cancel(); // the watchdog fired before the exchange was known
        }
    }

    @Override
    public void cancel() {
        fail(ProviderFailure.of(Kind.CANCELLED, "the stream was cancelled"));
    }

    // ---- response ---------------------------------------------------------------------------

    /** The client's calls for this exchange, all on its I/O thread: head, then the body's reader. */
    private final class Response implements ResponseHandler {
        private Body body;

        @Override
        public void onHead(ResponseHead head) {
            lastActivity = System.nanoTime();
            headReceived = true;
            int status = head.status();
            if (status >= 200 && status < 300) {
                body = new StreamingBody();
            } else {
                Optional<Duration> retryAfter = head.firstValue("Retry-After")
                        .flatMap(v -> RetryAfter.parse(v, Clock.systemUTC()));
                body = new ErrorBody(ERROR_BODY_LIMIT,
                        text -> fail(ProviderFailure.httpStatus(status, retryAfter, describe(status, text))));
            }
        }

        @Override
        public void onBody(ByteBuffer bytes) {
            lastActivity = System.nanoTime();
            body.onBody(bytes);
        }

        @Override
        public void onComplete() {
            body.onComplete();
        }

        @Override
        public void onFailure(IOException error, boolean headArrived) {
            if (headArrived) {
                body.onError(error);
            } else {
                onRequestError(error);
            }
        }
    }

    /** How a response body is read: the stream, or the start of an error page. */
    private interface Body {
        void onBody(ByteBuffer bytes);

        void onComplete();

        void onError(IOException error);
    }

    /**
     * Reads the start of a non-2xx body for its error message: at most {@code limit} bytes, then the
     * connection is closed, so a huge error page costs nothing. Reports the text exactly once.
     */
    private final class ErrorBody implements Body {
        private final ByteBuffer collected;
        private final Consumer<String> report;
        private boolean reported;

        ErrorBody(int limit, Consumer<String> report) {
            this.collected = ByteBuffer.allocate(limit);
            this.report = report;
        }

        @Override
        public void onBody(ByteBuffer bytes) {
            int n = Math.min(bytes.remaining(), collected.remaining());
            collected.put(bytes.slice().limit(n));
            if (!collected.hasRemaining()) {
                finish();
            }
        }

        @Override
        public void onComplete() {
            bodyDone();
            finish();
        }

        @Override
        public void onError(IOException error) {
            finish();
        }

        private void finish() {
            if (reported) {
                return;
            }
            reported = true;
            Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
            report.accept(utf8.decode(collected.flip()) + utf8.finish().toString());
        }
    }

    private String describe(int status, String bodyStart) {
        try {
            return dialect.describeHttpError(status, bodyStart, context.json());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-102 describeHttpError of dialect " + dialect.name() + " failed", e);
            return "upstream returned HTTP " + status;
        }
    }

    private void onRequestError(Throwable error) {
        Throwable cause = error;
        if (UpstreamErrors.isConnectFailure(cause)) {
            fail(ProviderFailure.of(Kind.CONNECT, "could not connect to upstream: " + UpstreamErrors.describe(cause)));
        } else if (!headReceived && cause instanceof IOException) {
            // Nothing was received, so the call is as safe to retry as a refused connection (the
            // client already retried once when a pooled keep-alive connection turned out closed).
            fail(ProviderFailure.of(Kind.CONNECT, "upstream closed the connection before answering"));
        } else {
            // Before or inside the body: the connection broke (the body subscriber usually saw it first).
            fail(ProviderFailure.of(Kind.TRUNCATED, TRUNCATED_MESSAGE));
        }
    }

    // ---- terminal state -----------------------------------------------------------------------

    private void deliver(Delta delta) {
        synchronized (lock) {
            if (finished) {
                return;
            }
            insideListener = true;
            RuntimeException listenerError = null;
            try {
                listener.onDelta(delta);
            } catch (RuntimeException e) {
                listenerError = e;
            } finally {
                insideListener = false;
            }
            if (deferredFailure != null) {
                ProviderFailure failure = deferredFailure;
                deferredFailure = null;
                listener.onFailure(failure);
            }
            if (listenerError != null) {
                throw new ListenerThrew(listenerError);
            }
        }
    }

    /**
     * Carries a listener's exception out of the parser, so it ends the stream as our own bug rather
     * than as an unreadable upstream frame.
     */
    private static final class ListenerThrew extends RuntimeException {
        ListenerThrew(RuntimeException cause) {
            super(cause);
        }
    }

    private void complete() {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            // The watchdog keeps running while the rest of the body drains, so a server that never
            // ends the body after its end marker still has its connection closed.
            listener.onComplete();
        }
    }

    /**
     * Ends the stream with {@code failure} unless it has ended: the outcome is claimed first (so the
     * I/O errors that closing provokes cannot claim it), then the connection is closed, then the
     * listener hears. The connection is closed in any case.
     */
    private void fail(ProviderFailure failure) {
        boolean claimed;
        synchronized (lock) {
            claimed = !finished;
            finished = true;
        }
        closeUpstream();
        if (claimed) {
            announce(failure);
        }
    }

    private void announce(ProviderFailure failure) {
        ProviderFailure clean = new ProviderFailure(failure.kind(), failure.httpStatus(), failure.retryAfter(),
                redactor.redact(failure.message()));
        LOG.log(System.Logger.Level.DEBUG, "upstream stream failed: {0} {1}", clean.kind(), clean.message());
        synchronized (lock) {
            if (insideListener) {
                // cancel() from inside onDelta: the terminal call waits until onDelta has returned.
                deferredFailure = clean;
            } else {
                listener.onFailure(clean);
            }
        }
    }

    /** Closes the TCP connection, so the upstream sees the client go (HTTP/1.1: one exchange per connection). */
    private void closeUpstream() {
        UpstreamExchange toCancel;
        synchronized (lock) {
            if (upstreamClosed) {
                return;
            }
            upstreamClosed = true;
            cancelWatchdogLocked();
            toCancel = call;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
    }

    /** The body ended normally; the connection goes back to the client's pool. */
    private void bodyDone() {
        synchronized (lock) {
            upstreamClosed = true;
            cancelWatchdogLocked();
        }
    }

    // ---- idle watchdog ------------------------------------------------------------------------

    private void scheduleWatchdog(long delayNanos) {
        if (!upstreamClosed) {
            watchdog = context.scheduler().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelWatchdogLocked() {
        assert Thread.holdsLock(lock);
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }

    /** One timer per stream re-armed by the remaining time, rather than rescheduled per buffer. */
    private void checkIdle() {
        long silent = System.nanoTime() - lastActivity;
        if (silent < idleNanos) {
            synchronized (lock) {
                scheduleWatchdog(idleNanos - silent);
            }
            return;
        }
        fail(ProviderFailure.of(Kind.IDLE_TIMEOUT, "upstream sent nothing for " + seconds(idleTimeout)));
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }

    // ---- the stream --------------------------------------------------------------------------

    /** A 2xx body: bytes → chars → frames → parser → listener, one read at a time. */
    private final class StreamingBody implements Body {
        private final Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        private final FrameDecoder frames = dialect.framing() == WireDialect.Framing.SSE
                ? new SseDecoder(this::onFrame) : new NdjsonDecoder(this::onFrame);
        /** The parser returned END: later bytes are drained and ignored. */
        private boolean ended;

        @Override
        public void onBody(ByteBuffer bytes) {
            if (ended) {
                return;
            }
            boolean timed = ChunkClock.start(context.metrics());
            try {
                CharBuffer chars = utf8.decode(bytes);
                frames.feed(chars);
            } catch (StreamFailure e) {
                fail(e.failure());
            } catch (RuntimeException e) {
                fail(failureOf(e));
            } finally {
                ChunkClock.stop(timed);
            }
        }

        private void onFrame(String event, String data) throws StreamFailure {
            if (ended || isFinished()) {
                return;
            }
            if (parser.onFrame(event, data, deltaOut) == FrameParser.Result.END) {
                ended = true;
                complete();
            }
        }

        @Override
        public void onError(IOException error) {
            LOG.log(System.Logger.Level.DEBUG, "upstream body broke: {0}", error.toString());
            fail(ProviderFailure.of(Kind.TRUNCATED, TRUNCATED_MESSAGE));
        }

        @Override
        public void onComplete() {
            bodyDone();
            if (ended) {
                return;
            }
            try {
                frames.feed(utf8.finish());
                frames.endOfInput();
                if (!ended && !isFinished()) {
                    parser.onEndOfBody(deltaOut);
                    complete();
                }
            } catch (StreamFailure e) {
                fail(e.failure());
            } catch (RuntimeException e) {
                fail(failureOf(e));
            }
        }
    }

    private boolean isFinished() {
        synchronized (lock) {
            return finished;
        }
    }

    /** What a runtime exception inside the pipeline means: our listener's bug, or a frame we could not read. */
    private static ProviderFailure failureOf(RuntimeException e) {
        if (e instanceof ListenerThrew) {
            LOG.log(System.Logger.Level.WARNING, "AIP-103 the stream listener threw; the stream is ended", e.getCause());
            return ProviderFailure.of(Kind.INTERNAL, INTERNAL_MESSAGE);
        }
        if (e instanceof JsonException) {
            return ProviderFailure.of(Kind.MALFORMED, "upstream sent a frame that is not valid JSON");
        }
        LOG.log(System.Logger.Level.WARNING, "AIP-101 upstream frame could not be read", e);
        return ProviderFailure.of(Kind.MALFORMED, "upstream sent a frame that could not be read");
    }
}
