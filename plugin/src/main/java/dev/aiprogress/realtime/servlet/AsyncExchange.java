package dev.aiprogress.realtime.servlet;

import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.socketio.PollExchange;
import dev.aiprogress.realtime.socketio.PollingSession;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One long-polling request on servlet async I/O: the body of a POST read with a {@link ReadListener}
 * (bounded by {@code maxPayload}), the answer written with a {@link WriteListener}, the async request
 * completed exactly once. A parked GET that reaches the container's async timeout (set above the
 * heartbeat, so a ping normally releases it first) is answered with a noop; one whose client went
 * away is taken back from its session, so no frame is handed to it.
 */
final class AsyncExchange implements PollExchange, AsyncListener {

    private static final System.Logger LOG = System.getLogger(AsyncExchange.class.getName());
    private static final byte[] NOOP = PollingServlet.utf8("6");

    private final AsyncContext async;
    private final HttpServletResponse response;
    /** Set by whichever path answers first: the session, the timeout, or the client going away. */
    private final AtomicBoolean answered = new AtomicBoolean();
    /** The session this GET waits in, for the timeout and error paths. */
    private volatile PollingSession parkedIn;
    /** The session whose POST body this reads, until it was handed over or refused. */
    private volatile PollingSession posting;

    private AsyncExchange(AsyncContext async, HttpServletResponse response) {
        this.async = async;
        this.response = response;
    }

    /** Starts async on the request; the listener is added during this dispatch (Payara refuses it later). */
    static AsyncExchange start(HttpServletRequest request, HttpServletResponse response, RealtimeOptions options) {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(PollingServlet.asyncTimeoutMillis(options));
        AsyncExchange exchange = new AsyncExchange(async, response);
        async.addListener(exchange);
        return exchange;
    }

    /** A short answer written in the servlet's own dispatch (refusals, no async). */
    static void plain(HttpServletResponse response, int status, String json) throws IOException {
        byte[] body = PollingServlet.utf8(json);
        response.setStatus(status);
        response.setContentType(PollExchange.JSON);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    AsyncExchange parkedIn(PollingSession session) {
        this.parkedIn = session;
        return this;
    }

    @Override
    public void respond(int status, String contentType, String body) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            response.setStatus(status);
            response.setContentType(contentType);
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentLength(bytes.length);
            ServletOutputStream out = response.getOutputStream();
            out.setWriteListener(new Writer(out, bytes));
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "AIP-041 answering a polling request failed: {0}", e.toString());
            PollingServlet.completeQuietly(async);
        }
    }

    /** Reads the POST body (at most {@code maxPayload} bytes), then hands it to the session. */
    void readPost(PollingSession session, int maxPayload) {
        posting = session;
        long declared = async.getRequest().getContentLengthLong();
        if (declared > maxPayload) {
            session.postTooLarge(this);
            return;
        }
        try {
            ServletInputStream in = async.getRequest().getInputStream();
            in.setReadListener(new Reader(in, session, maxPayload));
        } catch (IOException | IllegalStateException e) {
            session.postFailed();
            PollingServlet.completeQuietly(async);
        }
    }

    /** Writes the whole answer, then completes. */
    private final class Writer implements WriteListener {
        private final ServletOutputStream out;
        private final byte[] bytes;
        private boolean written;

        Writer(ServletOutputStream out, byte[] bytes) {
            this.out = out;
            this.bytes = bytes;
        }

        @Override
        public synchronized void onWritePossible() throws IOException {
            if (!written) {
                written = true;
                out.write(bytes);
            }
            if (out.isReady()) {
                PollingServlet.completeQuietly(async);
            }
        }

        @Override
        public void onError(Throwable t) {
            PollingServlet.completeQuietly(async);
        }
    }

    /** Collects the POST body with non-blocking reads; past the limit the session answers 413. */
    private final class Reader implements ReadListener {
        private final ServletInputStream in;
        /** Dropped once the body was handed over or refused (see {@link #onComplete}). */
        private PollingSession session;
        private final int limit;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        private final byte[] chunk = new byte[8192];
        private boolean over;

        Reader(ServletInputStream in, PollingSession session, int limit) {
            this.in = in;
            this.session = session;
            this.limit = limit;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!over && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    return;
                }
                body.write(chunk, 0, n);
                if (body.size() > limit) {
                    over = true;
                    posting = null;
                    PollingSession to = session;
                    session = null;
                    if (to != null) {
                        to.postTooLarge(AsyncExchange.this);
                    }
                }
            }
        }

        @Override
        public void onAllDataRead() {
            posting = null;
            PollingSession to = session;
            session = null;
            if (!over && to != null) {
                to.post(body.toString(StandardCharsets.UTF_8), AsyncExchange.this);
            }
        }

        @Override
        public void onError(Throwable t) {
            session = null;
            postGone();
        }
    }

    /** A POST whose body never arrived whole: the session forgets it, the request ends. */
    private void postGone() {
        PollingSession session = posting;
        posting = null;
        if (session != null) {
            session.postFailed();
        }
        answered.set(true);
        PollingServlet.completeQuietly(async);
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
        if (posting != null) {
            postGone();
            return;
        }
        PollingSession session = parkedIn;
        if (session != null && !session.unpark(this)) {
            return; // a frame went to this GET just now: its answer is being written
        }
        if (answered.compareAndSet(false, true)) {
            // a GET nothing came for: release it
            response.setStatus(200);
            response.setContentType(PollExchange.TEXT);
            response.setContentLength(NOOP.length);
            try {
                response.getOutputStream().write(NOOP);
            } catch (IOException | IllegalStateException e) {
                LOG.log(System.Logger.Level.DEBUG, "AIP-041 releasing a polling request failed: {0}", e.toString());
            }
        }
        PollingServlet.completeQuietly(async);
    }

    @Override
    public void onError(AsyncEvent event) {
        if (posting != null) {
            postGone();
            return;
        }
        PollingSession session = parkedIn;
        if (session != null) {
            session.unpark(this);
        }
        answered.set(true);
        PollingServlet.completeQuietly(async);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        PollingSession session = parkedIn;
        // the request is over: a container that keeps its listeners (WildFly's idle worker threads
        // hold their last task) must not keep the session, and through it the plugin, alive
        parkedIn = null;
        posting = null;
        if (session != null) {
            session.unpark(this);
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
