package dev.aiprogress.web;

import dev.aiprogress.realtime.Hub;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockUpstream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client faults against the real server: sockets closing during a fan-out, a reconnect storm, an
 * HTTP client vanishing mid-stream (the bound to the upstream close is measured and printed, not asserted).
 */
class ClientFaultsWebTest {

    static MockUpstream upstream;
    static EmbeddedJetty jetty;
    static HostileInput.CapturedLogs logs;

    @BeforeAll
    static void start() throws Exception {
        logs = new HostileInput.CapturedLogs();
        upstream = MockUpstream.start();
        jetty = E2e.server(upstream, Map.of("ai-progress.realtime.max-sockets-per-user", "1000",
                "ai-progress.http.heartbeat", "100ms")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
        upstream.close();
        logs.close();
    }

    static Hub hub() {
        return (Hub) jetty.context().getServletContext().getAttribute(Hub.class.getName());
    }

    /** Waits until user {@code userId} (or, for {@code ""}, every user) holds {@code count} sockets. */
    static void awaitSockets(String userId, int count) throws InterruptedException {
        ChatCancelWebTest.await((userId.isEmpty() ? "every user" : userId) + " to hold " + count + " sockets",
                () -> userId.isEmpty() ? hub().socketCount() == count : hub().socketCount(userId) == count);
    }

    /** The {@code ai_progress} events of one task as a socket received them, up to its {@code complete}. */
    static List<JsonObject> eventsUntilComplete(JdkSocket s, String taskId) throws InterruptedException {
        List<JsonObject> events = new ArrayList<>();
        while (true) {
            String f = s.next();
            if (!f.startsWith("42[\"ai_progress\",")) {
                continue;
            }
            JsonObject e = ChatWeb.json(f.substring("42[\"ai_progress\",".length(), f.length() - 1));
            assertEquals(taskId, e.getString("task_id"), f);
            events.add(e);
            if (e.getString("type").equals("complete")) {
                return events;
            }
        }
    }

    @Test
    void fanOut_halfTheSocketsCloseMidStream_theRestGetEverythingAndNothingLeaks() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Fan", 30));
        CountDownLatch gate = stream.gateBefore(stream.size() / 2);
        upstream.enqueue(stream.response());
        HttpClient dave = E2e.loggedIn(jetty, "dave");
        String cookie = E2e.sessionCookie(jetty, dave);
        List<JdkSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JdkSocket s = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of("Cookie", cookie), "40");
            assertTrue(s.next().startsWith("40{"));
            sockets.add(s);
        }
        awaitSockets("dave", 6);
        CompletableFuture<HttpResponse<String>> reply = ChatWeb.chatAsync(jetty, dave,
                ChatWeb.userMessage("q", "\"task_id\":\"fan-1\""));
        // every socket is receiving: the first event reached each of them
        for (JdkSocket s : sockets) {
            String f = s.next();
            assertTrue(f.contains("\"task_id\":\"fan-1\""), f);
        }
        // three go away while the stream is held mid-way: two close cleanly, one drops its connection
        sockets.get(0).close();
        sockets.get(1).close();
        sockets.get(2).abort();
        gate.countDown();
        JsonObject message = E2e.messageOf(reply.get(20, TimeUnit.SECONDS));
        for (JdkSocket s : sockets.subList(3, 6)) {
            List<JsonObject> rest = eventsUntilComplete(s, "fan-1");
            // the first event was read above: thinking (seq 1); the rest must follow without a gap
            assertEquals(2L, rest.get(0).getJsonNumber("seq").longValue(), rest.get(0).toString());
            assertEquals(message.getString("content"), rest.get(rest.size() - 2).getString("text"));
        }
        awaitSockets("dave", 3);
        sockets.subList(3, 6).forEach(JdkSocket::close);
        awaitSockets("dave", 0);
        assertEquals(List.of(), logs.errors());
    }

    @Test
    void reconnectStorm_hundredsOfSocketsAtOnce_serverStaysResponsiveAndHubEmpties() throws Exception {
        List<String> users = List.of("alice", "bob", "carol", "erin", "mallory");
        List<String> cookies = new ArrayList<>();
        for (String u : users) {
            cookies.add(E2e.sessionCookie(jetty, E2e.loggedIn(jetty, u)));
        }
        int connects = 400;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        AtomicInteger accepted = new AtomicInteger();
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < connects; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    String cookie = cookies.get(n % cookies.size());
                    boolean socketIo = n % 2 == 0;
                    try (JdkSocket s = socketIo
                            ? JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of("Cookie", cookie), "40")
                            : JdkSocket.open(jetty.baseUri().getPort(), "/ai-progress/ws", Map.of("Cookie", cookie))) {
                        if (socketIo) {
                            assertTrue(s.next().startsWith("40{"));
                        }
                        accepted.incrementAndGet();
                        if (n % 3 == 0) {
                            s.abort();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long stormMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(connects, accepted.get());
        awaitSockets("", 0);
        System.out.println("[measured] reconnect storm: " + connects + " connects/disconnects from 32 threads in " + stormMs
                + " ms; hub sockets afterwards " + hub().socketCount() + ", channels " + hub().channelCount());
        HostileInput.assertServesANormalChat(jetty, E2e.loggedIn(jetty, "alice"));
        assertEquals(List.of(), logs.errors());
    }

    @Test
    void httpClientDisconnect_midStream_upstreamClosed_boundMeasured() throws Exception {
        HttpClient demo = E2e.loggedIn(jetty, "bob");
        long worst = 0;
        List<Long> samples = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            ChatCancelWebTest.enqueueStalledAnswer(upstream);
            HttpResponse<InputStream> r = demo.send(java.net.http.HttpRequest.newBuilder(jetty.uri(ChatWeb.CHAT))
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            ChatWeb.userMessage("q", "\"task_id\":\"gone-" + round + "\"")))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("data: {\"type\":\"text\"")) {
                // read up to the partial answer
            }
            long t0 = System.nanoTime();
            r.body().close();
            assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(10)));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            samples.add(ms);
            worst = Math.max(worst, ms);
        }
        System.out.println("[measured] SSE client close -> upstream closed: " + samples + " ms (worst " + worst
                + " ms, heartbeat 100 ms)");
    }
}
