package dev.aiprogress.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client that is cheap to open by the hundred: the JDK's, over one shared
 * {@link HttpClient}. Records whole text frames and how the server closed; answers Engine.IO
 * pings ({@code 2} → {@code 3}) so heartbeats never close it during a test.
 */
final class JdkSocket implements AutoCloseable {

    static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final long WAIT_SECONDS = 10;

    /** Queued after the last frame when the socket closes, so a waiting reader wakes at once. */
    private static final String CLOSED = new String("<closed>");
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocket ws;
    /** When set, frames are counted and dropped (a long soak must not keep millions of frames). */
    private volatile boolean counting;
    private final java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();

    private JdkSocket(String url, Map<String, String> headers) throws Exception {
        WebSocket.Builder b = SHARED.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        StringBuilder partial = new StringBuilder();
        ws = b.buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    if (text.equals("2")) {
                        w.sendText("3", true);
                    } else if (counting) {
                        counted.incrementAndGet();
                    } else {
                        frames.add(text);
                    }
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                closed.complete(statusCode + " " + reason);
                frames.add(CLOSED);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closed.complete("error " + error);
                frames.add(CLOSED);
            }
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Opens {@code path} (e.g. {@code /ai-progress/ws}) on the server at {@code port}. */
    static JdkSocket open(int port, String path, Map<String, String> headers) throws Exception {
        return new JdkSocket("ws://127.0.0.1:" + port + path, headers);
    }

    /** A Socket.IO socket: open packet read, {@code 40<auth>} sent, the CONNECT answer returned. */
    static JdkSocket socketIo(int port, Map<String, String> headers, String connect) throws Exception {
        JdkSocket s = open(port, "/socket.io/?EIO=4&transport=websocket", headers);
        String open = s.next();
        if (!open.startsWith("0{")) {
            throw new AssertionError("no open packet: " + open);
        }
        s.send(connect);
        return s;
    }

    String next() throws InterruptedException {
        String f = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (f == CLOSED) {
            frames.add(CLOSED);
            throw new AssertionError("closed before the next frame: " + closed.getNow(null));
        }
        if (f == null) {
            throw new AssertionError("no frame within " + WAIT_SECONDS + " s; closed: " + closed.getNow(null));
        }
        return f;
    }

    /** The next frame, or null when the socket closed first or none comes within {@code millis}. */
    String poll(long millis) throws InterruptedException {
        String f = frames.poll(millis, TimeUnit.MILLISECONDS);
        if (f == CLOSED) {
            frames.add(CLOSED);
            return null;
        }
        return f;
    }

    /** From now on frames are only counted; returns this. */
    JdkSocket countOnly() {
        counting = true;
        return this;
    }

    long counted() {
        return counted.get();
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    /** "code reason" of the close, waiting for it. */
    String awaitClose() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    boolean isClosed() {
        return closed.isDone() || ws.isInputClosed();
    }

    /** Drops the TCP connection without a close handshake. */
    void abort() {
        ws.abort();
        closed.complete("aborted by the client");
        frames.add(CLOSED);
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                ws.abort();
            }
        }
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.abort();
        }
    }
}
