package dev.aiprogress.benchmarks.load;

import dev.aiprogress.testsupport.EmbeddedJetty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.aiprogress.benchmarks.load.JsonFields.field;

/** Logged-in users, each with K WebSockets (plain or Socket.IO, per --client) that route frames to receivers by task_id. */
final class Fleet implements AutoCloseable {
    final EmbeddedJetty server;
    final String[] sids;
    final List<List<Sock>> sockets = new ArrayList<>();
    private int next;

    Fleet(HttpClient http, ClientKind client, EmbeddedJetty server, int users, int perUser) throws Exception {
        this.server = server;
        sids = new String[users];
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            sids[u] = login(http, server, "u" + u, "p" + u);
            List<Sock> mine = new ArrayList<>();
            for (int k = 0; k < perUser; k++) {
                Sock s = new Sock();
                mine.add(s);
                s.socketIo = client.socketIo(u, k);
                if (s.socketIo) {
                    opening.add(SocketIoClient.open(http, server.baseUri().getPort(), sids[u], s::onMessage, s)
                            .whenComplete((w, e) -> s.ws = w));
                    continue;
                }
                URI ws = URI.create("ws://127.0.0.1:" + server.baseUri().getPort() + "/ai-progress/ws");
                opening.add(http.newWebSocketBuilder().header("Cookie", "sid=" + sids[u])
                        .connectTimeout(Duration.ofSeconds(10)).buildAsync(ws, s)
                        .whenComplete((w, e) -> s.ws = w));
            }
            sockets.add(mine);
        }
        CompletableFuture.allOf(opening.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    }

    /** Users are taken round-robin; the pool is larger than the concurrency, so normally one stream per user. */
    synchronized int nextUser() {
        int u = next;
        next = (next + 1) % sids.length;
        return u;
    }

    @Override
    public void close() {
        for (List<Sock> mine : sockets) {
            for (Sock s : mine) {
                if (s.ws != null) {
                    s.ws.abort();
                }
            }
        }
    }

    /** Logs {@code user} in; its session id. */
    static String login(HttpClient http, EmbeddedJetty server, String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/api/method/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("usr=" + user + "&pwd=" + password)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String c : r.headers().allValues("set-cookie")) {
            if (c.startsWith("sid=")) {
                int semi = c.indexOf(';');
                return c.substring(4, semi < 0 ? c.length() : semi);
            }
        }
        throw new IllegalStateException("login of " + user + " gave no sid: " + r.statusCode() + " " + r.body());
    }

    /**
     * One plain WebSocket: timestamps each complete text message and hands it to its task's receiver.
     * For a Socket.IO socket it is only the router behind a {@link SocketIoClient}, which strips nothing:
     * a {@code 42["ai_progress",{...}]} frame carries the same fields this reads.
     */
    static final class Sock implements WebSocket.Listener {
        volatile WebSocket ws;
        boolean socketIo;
        final Map<String, SockTask> tasks = new ConcurrentHashMap<>();
        final AtomicLong frames = new AtomicLong();
        private final TextMessages messages = new TextMessages();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            String msg = messages.accept(data, last);
            if (msg != null) {
                onMessage(msg, now);
            }
            webSocket.request(1);
            return null;
        }

        private void onMessage(String msg, long now) {
            if (!msg.contains("\"ai_progress\"")) {
                return;
            }
            frames.incrementAndGet();
            String task = field(msg, "\"task_id\":\"");
            SockTask t = task == null ? null : tasks.get(task);
            if (t == null) {
                return; // another stream's late frame, or the replay of an old task
            }
            String type = field(msg, "\"type\":\"");
            if ("reasoning".equals(type) || "text".equals(type)) {
                t.receiver.onDelta(field(msg, "\"text\":\""), now);
            } else if ("completion".equals(type) || "error".equals(type)) {
                if ("error".equals(type)) {
                    t.receiver.fail("error event: " + msg);
                }
                t.receiver.onEnd();
                tasks.remove(task);
                t.done.complete(null);
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            for (SockTask t : tasks.values()) {
                t.receiver.fail("socket error " + error);
                t.done.complete(null);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            for (SockTask t : tasks.values()) {
                t.receiver.fail("socket closed " + statusCode + " " + reason);
                t.done.complete(null);
            }
            return null;
        }
    }

    static final class SockTask {
        final StreamReceiver receiver;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        SockTask(StreamReceiver receiver) {
            this.receiver = receiver;
        }
    }
}
