package dev.aiprogress.demo;

import dev.aiprogress.cluster.redis.RedisBus;
import dev.aiprogress.testsupport.RedisServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two demo jars and a {@code redis-server}, with nothing but {@code --config}: the jar carries
 * Lettuce, so {@code ai-progress.cluster.redis-uri} is all a user adds. A chat on node A reaches
 * the user's socket on node B, every event in order.
 */
class DemoClusterIT {

    private static RedisServer redis;
    private static DemoProcess a;
    private static DemoProcess b;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        work = Files.createTempDirectory("ai-progress-cluster-it");
        Path config = Files.writeString(work.resolve("node.properties"), "ai-progress.provider.scripted.pacing=0ms\n"
                + "ai-progress.cluster.redis-uri=" + redis.uri() + "\n", StandardCharsets.UTF_8);
        Path jar = Path.of(System.getProperty("demo.jar", "target/ai-progress-demo.jar"));
        Path logs = jar.toAbsolutePath().getParent();
        a = DemoProcess.start(jar, config, logs.resolve("cluster-it-node-a.log"));
        b = DemoProcess.start(jar, config, logs.resolve("cluster-it-node-b.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            if (c != null) {
                c.close();
            }
        }
        if (work != null) {
            Files.deleteIfExists(work.resolve("node.properties"));
            Files.deleteIfExists(work);
        }
    }

    static HttpClient signedIn(URI base) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("/api/method/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("usr=demo&pwd=demo")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        return client;
    }

    @Test
    void twoJarsAndRedis_chatOnA_reachesTheUsersSocketOnB() throws Exception {
        assertTrue(a.output().contains("AIP-200 cluster bus connected to Redis"), a.output());
        HttpClient onB = signedIn(b.uri());
        HttpCookie sid = ((CookieManager) onB.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("sid")).findFirst().orElseThrow();
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = onB.newWebSocketBuilder().header("Cookie", "sid=" + sid.getValue())
                .buildAsync(URI.create("ws://" + b.uri().getAuthority() + "/ai-progress/ws"), new TextFrames(frames))
                .get(10, TimeUnit.SECONDS);
        try {
            // answered once the socket is registered; B then holds the user's channel
            socket.sendText("{\"action\":\"hello\",\"task_id\":\"none\"}", true).get(10, TimeUnit.SECONDS);
            assertNotNull(frames.poll(30, TimeUnit.SECONDS), "the socket never answered");
            awaitSubscribed(b);

            HttpResponse<String> chat = signedIn(a.uri()).send(HttpRequest.newBuilder(
                            a.uri().resolve("/api/method/ai_assistant.api.chat_completion"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"hello across nodes\"}],\"task_id\":\"cluster-it-1\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, chat.statusCode(), chat.body());
            JsonObject message = NodeFlow.parse(chat.body()).getJsonObject("message");

            StringBuilder text = new StringBuilder();
            long lastSeq = 0;
            while (true) {
                String frame = frames.poll(30, TimeUnit.SECONDS);
                assertNotNull(frame, "node B's socket stopped getting events; text so far: " + text);
                JsonObject data = NodeFlow.parse(frame).getJsonObject("data");
                if (data == null || !"cluster-it-1".equals(data.getString("task_id", ""))) {
                    continue;
                }
                long seq = data.getJsonNumber("seq").longValue();
                assertTrue(seq > lastSeq, "in order: " + seq + " after " + lastSeq);
                lastSeq = seq;
                if (data.getString("type").equals("text")) {
                    text.append(data.getString("text"));
                }
                if (data.getString("type").equals("complete")) {
                    break;
                }
            }
            assertEquals(message.getString("content"), text.toString());
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    /** Node B subscribed to the demo user's channel (the only node with a socket of that user). */
    private static void awaitSubscribed(DemoProcess node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (redis.subscribers(RedisBus.userChannel("demo")) < 1) {
            assertTrue(System.nanoTime() < deadline, "node never subscribed:\n" + node.output());
            Thread.sleep(20);
        }
    }
}
