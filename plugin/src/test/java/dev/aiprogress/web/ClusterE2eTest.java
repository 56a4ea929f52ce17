package dev.aiprogress.web;

import dev.aiprogress.config.ConfigException;

import dev.aiprogress.cluster.redis.RedisBus;
import dev.aiprogress.realtime.jakarta.WsClient;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.RedisServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three plugin nodes on embedded Jetty (each registered by its SCI, the same realm users, the same
 * {@code ai-progress.cluster.redis-uri}) and one real {@code redis-server}: a chat on node A reaches
 * the user's sockets on B and C, nobody else's; a cancel from B reaches the task on A; killing Redis
 * mid-stream loses nothing on A.
 */
class ClusterE2eTest {

    static MockUpstream upstream;
    static RedisServer redis;
    static EmbeddedJetty a;
    static EmbeddedJetty b;
    static EmbeddedJetty c;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.start();
        redis = RedisServer.start();
        Map<String, String> cluster = Map.of("ai-progress.cluster.redis-uri", redis.uri());
        a = E2e.server(upstream, cluster).start();
        b = E2e.server(upstream, cluster).start();
        c = E2e.server(upstream, cluster).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, c, upstream, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /** The node's health body; readiness follows the bus, so the status code is not asserted here. */
    static String health(EmbeddedJetty node) {
        try {
            return node.newClient().send(java.net.http.HttpRequest.newBuilder(node.uri("/ai-progress/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static WsClient socket(EmbeddedJetty node, String user) throws Exception {
        return E2e.plainSocket(node, E2e.sessionCookie(node, E2e.loggedIn(node, user)));
    }

    static void awaitSubscribers(String user, long count) throws InterruptedException {
        await(() -> redis.subscribers(RedisBus.userChannel(user)) == count, user + " subscribed on " + count + " nodes");
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(15), condition, "gave up waiting: " + what);
    }

    @Test
    void chatOnA_userSocketsOnBAndC_getTheWholeTaskInOrder_otherUsersGetNothing() throws Exception {
        upstream.enqueue(MockResponse.sse(E2e.deepSeekStream("Cluster", 12)));
        HttpClient aliceOnA = E2e.loggedIn(a, "alice");
        try (WsClient aliceOnB = socket(b, "alice"); WsClient aliceOnC = socket(c, "alice");
             WsClient bobOnA = socket(a, "bob"); WsClient bobOnB = socket(b, "bob"); WsClient bobOnC = socket(c, "bob")) {
            awaitSubscribers("alice", 2);
            awaitSubscribers("bob", 3);
            JsonObject message = E2e.messageOf(aliceOnA.send(E2e.chatRequest(a, "cl-1"), HttpResponse.BodyHandlers.ofString()));
            E2e.assertStreamRebuildsReply(PlainJsonChatTest.untilType(aliceOnB, "complete"), message, "cl-1");
            E2e.assertStreamRebuildsReply(PlainJsonChatTest.untilType(aliceOnC, "complete"), message, "cl-1");

            // bob's own task, started on A after alice's ended: the first thing each of his sockets sees
            upstream.enqueue(MockResponse.sse(E2e.deepSeekStream("Bob", 2)));
            HttpClient bobClient = E2e.loggedIn(a, "bob");
            JsonObject bobMessage = E2e.messageOf(bobClient.send(E2e.chatRequest(a, "cl-bob"),
                    HttpResponse.BodyHandlers.ofString()));
            for (WsClient bob : List.of(bobOnA, bobOnB, bobOnC)) {
                E2e.assertStreamRebuildsReply(PlainJsonChatTest.untilType(bob, "complete"), bobMessage, "cl-bob");
            }
        }
        awaitSubscribers("alice", 0);
    }

    @Test
    void cancelFromSocketOnB_taskRunningOnA_isCancelledThereAndTheErrorReachesB() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Cancelled", 8));
        upstream.enqueue(stream.response().stallAfter(5));
        HttpClient carolOnA = E2e.loggedIn(a, "carol");
        try (WsClient carolOnB = socket(b, "carol"); WsClient malloryOnB = socket(b, "mallory")) {
            awaitSubscribers("carol", 1);
            CompletableFuture<HttpResponse<String>> reply = carolOnA.sendAsync(E2e.chatRequest(a, "cl-cancel"),
                    HttpResponse.BodyHandlers.ofString());
            PlainJsonChatTest.untilType(carolOnB, "reasoning");

            // another user's cancel is forwarded too, and refused by the owner check on A
            malloryOnB.send("{\"action\":\"cancel\",\"task_id\":\"cl-cancel\"}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"no running task cl-cancel of yours\"}}",
                    malloryOnB.next());
            carolOnB.send("{\"action\":\"cancel\",\"task_id\":\"cl-cancel\"}");
            assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(10)), "the upstream call on A was not cancelled");
            List<JsonObject> rest = untilTypeSkippingErrorFrames(carolOnB, "error");
            JsonObject error = rest.get(rest.size() - 1);
            assertEquals("cl-cancel", error.getString("task_id"));
            assertEquals("AIP-017", error.getString("code"));
            JsonObject message = E2e.messageOf(reply.get(15, TimeUnit.SECONDS));
            assertFalse(message.getBoolean("success"));
        }
    }

    @Test
    void redisKilledMidStream_socketOnA_getsEverything_andCrossNodeDeliveryResumesAfterRestart() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Outage", 10));
        CountDownLatch gate = stream.gateBefore(6);
        upstream.enqueue(stream.response());
        HttpClient daveOnA = E2e.loggedIn(a, "dave");
        try (WsClient daveSocketOnA = socket(a, "dave"); WsClient daveOnB = socket(b, "dave")) {
            awaitSubscribers("dave", 2);
            CompletableFuture<HttpResponse<String>> reply = daveOnA.sendAsync(E2e.chatRequest(a, "cl-outage"),
                    HttpResponse.BodyHandlers.ofString());
            List<JsonObject> onA = new ArrayList<>(PlainJsonChatTest.untilType(daveSocketOnA, "reasoning"));
            PlainJsonChatTest.untilType(daveOnB, "reasoning");

            assertTrue(health(a).contains("\"cluster\":\"up\""), health(a));
            redis.kill();
            await(() -> health(a).contains("\"cluster\":\"down\""), "health shows the cluster bus down");
            gate.countDown();
            onA.addAll(PlainJsonChatTest.untilType(daveSocketOnA, "complete"));
            JsonObject message = E2e.messageOf(reply.get(15, TimeUnit.SECONDS));
            E2e.assertStreamRebuildsReply(onA, message, "cl-outage");

            redis.restart();
            awaitSubscribers("dave", 2);
            await(() -> health(a).contains("\"cluster\":\"up\""), "health shows the cluster bus up again");
            upstream.enqueue(MockResponse.sse(E2e.deepSeekStream("After", 3)));
            JsonObject after = E2e.messageOf(daveOnA.send(E2e.chatRequest(a, "cl-after"), HttpResponse.BodyHandlers.ofString()));
            // B may have seen part of the outage task; everything of the next task reaches it complete
            List<JsonObject> next = new ArrayList<>();
            JsonObject e;
            do {
                e = PlainJsonChatTest.nextEvent(daveOnB);
                if (e.getString("task_id").equals("cl-after")) {
                    next.add(e);
                }
            } while (!(e.getString("task_id").equals("cl-after") && e.getString("type").equals("complete")));
            E2e.assertStreamRebuildsReply(next, after, "cl-after");
        }
    }

    @Test
    void socketMovesFromBToC_resumeAfterLastSeenSeq_getsWhatItMissedThenTheRestLive() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Moving", 8));
        CountDownLatch whileMoving = stream.gateBefore(4);
        CountDownLatch afterResume = stream.gateBefore(8);
        upstream.enqueue(stream.response());
        HttpClient erinOnA = E2e.loggedIn(a, "erin");
        List<JsonObject> seen = new ArrayList<>();
        CompletableFuture<HttpResponse<String>> reply;
        try (WsClient onB = socket(b, "erin")) {
            awaitSubscribers("erin", 1);
            reply = erinOnA.sendAsync(E2e.chatRequest(a, "cl-move"), HttpResponse.BodyHandlers.ofString());
            do {
                seen.add(PlainJsonChatTest.nextEvent(onB));
            } while (seen.get(seen.size() - 1).getJsonNumber("seq").longValue() < 4);
        }
        awaitSubscribers("erin", 0);
        // seq 5..8 are published while the user has no socket anywhere
        whileMoving.countDown();
        String replayKey = RedisBus.replayKey("erin");
        await(() -> xlen(replayKey) == 8, "seq 1..8 in the shared replay window");
        try (WsClient onC = socket(c, "erin")) {
            awaitSubscribers("erin", 1);
            // a new socket on C gets the running task's window, as on one node (seeded from the shared window)
            List<JsonObject> window = new ArrayList<>();
            do {
                window.add(PlainJsonChatTest.nextEvent(onC));
            } while (window.get(window.size() - 1).getJsonNumber("seq").longValue() < 8);
            assertEquals(1L, window.get(0).getJsonNumber("seq").longValue());
            assertEquals("thinking", window.get(0).getString("type"));
            // and a resume after what it saw on B gets exactly the missed part
            onC.send("{\"action\":\"resume\",\"task_id\":\"cl-move\",\"after_seq\":4}");
            List<JsonObject> resumed = new ArrayList<>();
            do {
                resumed.add(PlainJsonChatTest.nextEvent(onC));
            } while (resumed.get(resumed.size() - 1).getJsonNumber("seq").longValue() < 8);
            afterResume.countDown();
            seen.addAll(resumed);
            seen.addAll(PlainJsonChatTest.untilType(onC, "complete"));
        }
        E2e.assertStreamRebuildsReply(seen, E2e.messageOf(reply.get(15, TimeUnit.SECONDS)), "cl-move");
    }

    @Test
    void socketConnectsToCAfterTheTaskStartedOnA_getsTheTaskFromTheStartThenLive() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Late", 6));
        CountDownLatch gate = stream.gateBefore(4);
        upstream.enqueue(stream.response());
        HttpClient malloryOnA = E2e.loggedIn(a, "mallory");
        CompletableFuture<HttpResponse<String>> reply = malloryOnA.sendAsync(E2e.chatRequest(a, "cl-late"),
                HttpResponse.BodyHandlers.ofString());
        String replayKey = RedisBus.replayKey("mallory");
        await(() -> xlen(replayKey) == 4, "seq 1..4 published while mallory has no socket anywhere");
        try (WsClient onC = socket(c, "mallory")) {
            awaitSubscribers("mallory", 1);
            List<JsonObject> seen = new ArrayList<>();
            do {
                seen.add(PlainJsonChatTest.nextEvent(onC));
            } while (seen.get(seen.size() - 1).getJsonNumber("seq").longValue() < 4);
            gate.countDown();
            seen.addAll(PlainJsonChatTest.untilType(onC, "complete"));
            E2e.assertStreamRebuildsReply(seen, E2e.messageOf(reply.get(15, TimeUnit.SECONDS)), "cl-late");
        }
    }

    /** A raw Socket.IO socket on {@code node} as the token user {@code svc-user} ({@code FixedTokenVerifier}). */
    static WsClient tokenSocketIo(EmbeddedJetty node) throws Exception {
        return new WsClient("ws://127.0.0.1:" + node.baseUri().getPort() + "/socket.io/?EIO=4&transport=websocket",
                Map.of("Authorization", "token svc:ok")).autoPong();
    }

    /** The next {@code ai_progress} frame: [event, offset]. */
    static jakarta.json.JsonArray nextSocketIoEvent(WsClient socket) throws InterruptedException {
        while (true) {
            String f = socket.nextNonPing();
            if (f.startsWith("42[\"ai_progress\"")) {
                try (jakarta.json.JsonReader r = jakarta.json.Json.createReader(new java.io.StringReader(f.substring(2)))) {
                    jakarta.json.JsonArray a = r.readArray();
                    return jakarta.json.Json.createArrayBuilder().add(a.getJsonObject(1)).add(a.getString(2)).build();
                }
            }
        }
    }

    @Test
    void socketIoRecovery_socketMovesFromBToC_pidAndOffsetFromB_recoverExactlyWhatItMissedOnC() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Recover", 8));
        CountDownLatch whileMoving = stream.gateBefore(6);
        CountDownLatch afterRecovery = stream.gateBefore(12);
        upstream.enqueue(stream.response());
        HttpClient onA = a.newClient();
        List<JsonObject> seen = new ArrayList<>();
        String pid;
        String lastOffset;
        CompletableFuture<HttpResponse<String>> reply;
        try (WsClient onB = tokenSocketIo(b)) {
            assertTrue(onB.next().startsWith("0{"));
            onB.send("40");
            String connected = onB.nextNonPing();
            assertTrue(connected.matches("40\\{\"sid\":\"[^\"]+\",\"pid\":\"[^\"]+\"}"), connected);
            pid = connected.substring(connected.indexOf("\"pid\":\"") + 7, connected.length() - 2);
            awaitSubscribers("svc-user", 1);
            reply = onA.sendAsync(HttpRequest.newBuilder(a.uri("/api/method/ai_assistant.api.chat_completion"))
                    .header("Content-Type", "application/json").header("Authorization", "token svc:ok")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                            + "\"task_id\":\"cl-sio-move\"}")).build(), HttpResponse.BodyHandlers.ofString());
            jakarta.json.JsonArray event;
            do {
                event = nextSocketIoEvent(onB);
                seen.add(event.getJsonObject(0));
            } while (event.getJsonObject(0).getJsonNumber("seq").longValue() < 6);
            lastOffset = event.getString(1);
            // a node-local number, B's tag, and how far the socket got in each task
            assertTrue(lastOffset.matches("[0-9]+\\.[A-Za-z0-9_-]+~6\\.cl-sio-move"), lastOffset);
        }
        awaitSubscribers("svc-user", 0);
        // events 7.. are published while the user has no socket anywhere
        whileMoving.countDown();
        await(() -> xlen(RedisBus.replayKey("svc-user")) >= 11, "seq 7..11 in the shared window");
        try (WsClient onC = tokenSocketIo(c)) {
            assertTrue(onC.next().startsWith("0{"));
            onC.send("40{\"pid\":\"" + pid + "\",\"offset\":\"" + lastOffset + "\"}");
            String recovered = onC.nextNonPing();
            assertTrue(recovered.endsWith(",\"pid\":\"" + pid + "\"}"), "the same pid: recovered; " + recovered);
            afterRecovery.countDown();
            jakarta.json.JsonArray event;
            do {
                event = nextSocketIoEvent(onC);
                seen.add(event.getJsonObject(0));
            } while (!event.getJsonObject(0).getString("type").equals("complete"));
        }
        E2e.assertStreamRebuildsReply(seen, E2e.messageOf(reply.get(15, TimeUnit.SECONDS)), "cl-sio-move");
    }

    @Test
    void polling_requestOnAnotherNode_400SessionIdUnknown_soTheClientReconnects() throws Exception {
        HttpClient client = b.newClient();
        HttpResponse<String> open = client.send(HttpRequest.newBuilder(b.uri("/socket.io/?EIO=4&transport=polling"))
                .header("Authorization", "token svc:ok").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, open.statusCode(), open.body());
        String sid = open.body().substring(9, 29);
        HttpResponse<String> elsewhere = client.send(HttpRequest.newBuilder(c.uri("/socket.io/?EIO=4&transport=polling&sid=" + sid))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, elsewhere.statusCode());
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", elsewhere.body());
        client.send(HttpRequest.newBuilder(b.uri("/socket.io/?EIO=4&transport=polling&sid=" + sid))
                .POST(HttpRequest.BodyPublishers.ofString("1")).build(), HttpResponse.BodyHandlers.ofString());
    }

    static long xlen(String key) {
        try {
            String reply = redis.command("XLEN " + key);
            return reply.startsWith(":") ? Long.parseLong(reply.substring(1)) : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    void deploy_redisDown_failsNamingTheKey() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConfigException e = assertThrows(ConfigException.class, () -> E2e.server(upstream,
                Map.of("ai-progress.cluster.redis-uri", "redis://:pw@127.0.0.1:" + port)).start().close());
        assertEquals("ai-progress.cluster.redis-uri", e.key());
        assertTrue(e.getMessage().startsWith("ai-progress.cluster.redis-uri: cannot connect to Redis at 127.0.0.1:"
                + port + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("pw"), e.getMessage());
    }

    /** Events until one of {@code type}, skipping {@code {"event":"error"}} control frames. */
    static List<JsonObject> untilTypeSkippingErrorFrames(WsClient socket, String type) throws InterruptedException {
        List<JsonObject> events = new ArrayList<>();
        while (true) {
            JsonObject frame = E2e.parse(socket.next());
            if (!"ai_progress".equals(frame.getString("event"))) {
                continue;
            }
            JsonObject data = frame.getJsonObject("data");
            events.add(data);
            if (data.getString("type").equals(type)) {
                return events;
            }
        }
    }
}
