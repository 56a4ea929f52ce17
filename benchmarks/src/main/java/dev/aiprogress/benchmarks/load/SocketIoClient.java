package dev.aiprogress.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A minimal Socket.IO v5 / Engine.IO v4 client over the JDK WebSocket, speaking what
 * socket.io-client 4.8 does on {@code /socket.io/?EIO=4&transport=websocket} (docs/CLIENT-PROTOCOL.md, "Socket.IO connection"):
 * waits for the open packet {@code 0{...}}, sends CONNECT {@code 40}, is ready at
 * {@code 40{"sid":..}}, answers each server ping {@code 2} with {@code 3}, and hands every
 * {@code 42[...]} event, whole and stamped at receipt, to the harness's router. The router reads
 * {@code task_id}/{@code type}/{@code text} out of the payload as it does for a plain-WS frame, so
 * both kinds go through one code path and differ only in their framing.
 */
final class SocketIoClient implements WebSocket.Listener {

    /** Pings answered over every Socket.IO client of this JVM: proof the heartbeat path ran. */
    static final AtomicLong PONGS = new AtomicLong();

    private final BiConsumer<String, Long> events;
    private final WebSocket.Listener closes;
    private final CompletableFuture<WebSocket> connected = new CompletableFuture<>();
    private final TextMessages messages = new TextMessages();
    /** The JDK WebSocket refuses a send while the previous one is outstanding: sends are chained. */
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

    private SocketIoClient(BiConsumer<String, Long> events, WebSocket.Listener closes) {
        this.events = events;
        this.closes = closes;
    }

    /**
     * Opens one Socket.IO socket logged in by the {@code sid} cookie; the future completes once the
     * server accepted the CONNECT (its events are held until then), and fails on a CONNECT_ERROR.
     * {@code events} gets each {@code 42} packet with its receipt time; {@code closes} is told of an
     * error or close so it can fail the streams it routes.
     */
    static CompletableFuture<WebSocket> open(HttpClient http, int port, String sid, BiConsumer<String, Long> events,
            WebSocket.Listener closes) {
        SocketIoClient c = new SocketIoClient(events, closes);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
        http.newWebSocketBuilder().header("Cookie", "sid=" + sid).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, c)
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        c.connected.completeExceptionally(e);
                    }
                });
        return c.connected;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        String packet = messages.accept(data, last);
        if (packet != null) {
            onPacket(webSocket, packet, now);
        }
        webSocket.request(1);
        return null;
    }

    private void onPacket(WebSocket ws, String p, long now) {
        if (p.startsWith("42")) {
            events.accept(p, now);
        } else if (p.equals("2")) {
            PONGS.incrementAndGet();
            send(ws, "3");
        } else if (p.startsWith("0{")) {
            send(ws, "40");
        } else if (p.startsWith("40")) {
            if (p.contains("\"sid\"")) {
                connected.complete(ws);
            } else {
                // socket.io-client rejects a CONNECT reply without sid; so does this one
                fail(ws, "CONNECT reply without sid: " + p);
            }
        } else if (p.startsWith("44")) {
            fail(ws, "CONNECT_ERROR " + p);
        } else if (p.startsWith("41") || p.equals("1")) {
            fail(ws, "server disconnected the socket: " + p);
        }
        // other packets (noop "6", acks) carry nothing for the harness
    }

    private void fail(WebSocket ws, String why) {
        connected.completeExceptionally(new IllegalStateException(why));
        ws.abort();
        closes.onError(ws, new IllegalStateException(why));
    }

    private synchronized void send(WebSocket ws, String text) {
        sending = sending.handle((w, e) -> null).thenCompose(x -> ws.sendText(text, true));
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        connected.completeExceptionally(error);
        closes.onError(webSocket, error);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        connected.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        return closes.onClose(webSocket, statusCode, reason);
    }
}
