package dev.aiprogress.containers;

import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.StringReader;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The end-to-end check every real container runs (issue 5, docs/CLIENT-PROTOCOL.md "Tests"): log in through the
 * container realm → {@code sid} cookie → the real socket.io-client connects like the extension →
 * {@code chat_completion} against a loopback mock upstream (DeepSeek-style reasoning + answer,
 * split into small pieces that cut UTF-8 sequences) → the socket's reasoning and text deltas rebuild
 * the reply exactly, then {@code completion} and {@code complete}; the same in SSE mode; then the
 * container stops and its process ends. Subclasses only say which container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractContainerIT {

    static final String CHAT = "/api/method/ai_assistant.api.chat_completion";
    static final String MODEL = "deepseek-reasoner";
    static final String REASONING = "The user compares 9.11 and 9.9. Compare tenths: 1 < 9, so 9.9 is larger — näive "
            + "string order would mislead. ";
    static final String ANSWER = "**9.9** is larger than 9.11 ✓ — compare digit by digit: 0.9 > 0.11. 数字 🙂";

    private MockUpstream upstream;
    private ContainerProcess container;
    private java.util.Optional<Path> deployedWar = java.util.Optional.empty();
    private Path war;
    private ContainerLauncher launcherUsed;
    private URI base;
    private String name;

    /** The container under test. */
    abstract ContainerLauncher launcher();

    @BeforeAll
    void startContainer() throws Exception {
        upstream = MockUpstream.start();
        ContainerLauncher launcher = launcher();
        name = launcher.name();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("ai-progress.providers", "mock");
        props.put("ai-progress.provider.mock.dialect", "openai");
        props.put("ai-progress.provider.mock.base-url", upstream.baseUrl().toString());
        props.put("ai-progress.provider.mock.model", MODEL);
        props.putAll(launcher.extraSystemProperties());
        Path warDir = Path.of(System.getProperty("aip.war.dir", "target"));
        Path work = Path.of(System.getProperty("aip.containers.dir", "target/containers"));
        Path logs = Path.of(System.getProperty("aip.logs.dir", "target/container-logs"));
        war = launcher.war(warDir);
        launcherUsed = launcher;
        ContainerLauncher.Started started = launcher.start(war, props, work, logs);
        container = started.process();
        base = started.baseUrl();
        deployedWar = started.deployedWar();
        container.awaitReady(base, launcher.startTimeout());
    }

    /**
     * Why this container itself keeps an undeployed context's registered objects (its servlets,
     * listeners and configuration, and so the class loader) for a while after an undeploy; empty
     * when it lets them go at once. Where present, the undeploy check asks that the plugin's running
     * state is gone (its threads, and every object of {@link #RUNNING_STATE}) rather than every object.
     */
    java.util.Optional<String> keepsUndeployedContext() {
        return java.util.Optional.empty();
    }

    /** The plugin's running state: none of these may outlive an undeploy in any container. */
    static final java.util.Set<String> RUNNING_STATE = java.util.Set.of("PluginRuntime", "Gateway", "Generation", "Tasks",
            "Hub", "Outbox", "ReplayLog", "TaskTrail", "SocketIoSession", "PlainJsonSession", "PollingSession",
            "PollingSessions", "UpstreamClient", "IoLoop", "Connection", "Exchange", "StreamExchange", "ProgressEvent",
            "RedisBus", "FailedLogins");

    @AfterAll
    void stopContainer() throws Exception {
        try {
            if (container != null) {
                boolean ended = container.stop(Duration.ofSeconds(60));
                assertTrue(ended, name + " did not stop by itself on SIGTERM; log: " + container.log());
                assertFalse(container.isAlive(), name + " still running");
                // the plugin's own shutdown line: its contextDestroyed ran and its log still reached the log
                assertTrue(java.nio.file.Files.readString(container.log()).contains("AIP-002 ai-progress stopped"),
                        name + ": no AIP-002 line at shutdown\n" + container.tail());
            }
        } finally {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    @Test
    @Order(1)
    void chatCompletion_socketIoClientLikeTheExtension_deltasRebuildTheReply() throws Exception {
        chatOverSocketIo("websocket,polling", "websocket");
    }

    /** The library's defaults: long-polling through the servlet, then the upgrade on the WebSocket endpoint of the same path. */
    @Test
    @Order(3)
    void chatCompletion_socketIoClientWithDefaultOptions_pollingThenUpgrade_deltasRebuildTheReply() throws Exception {
        chatOverSocketIo("default", "upgrade");
    }

    @Test
    @Order(4)
    void chatCompletion_socketIoClientPollingOnly_deltasRebuildTheReply() throws Exception {
        chatOverSocketIo("polling", "polling");
    }

    /**
     * One chat with the client's {@code transports}; {@code expect} is the transport it connects on, or
     * {@code upgrade} when it must move from long-polling to WebSocket (before or after its CONNECT).
     */
    private void chatOverSocketIo(String transports, String expect) throws Exception {
        Session session = login();
        upstream.enqueue(MockResponse.sse(stream()).splitEvery(7));
        try (SioClient socket = SioClient.start(base.toString(), session.sid(), session.cookieHeader(), 1,
                Duration.ofSeconds(90), transports)) {
            String first = socket.nextLine(Duration.ofSeconds(30));
            boolean upgraded = first.equals("{\"upgrade\":\"websocket\"}");
            if (upgraded) {
                first = socket.nextLine(Duration.ofSeconds(30));
            }
            assertTrue(first.startsWith("{\"connect\""), name + ": socket did not connect: " + first + "\n"
                    + socket.stderr() + "\n" + container.tail());
            String connectedOn = json(first).getJsonObject("connect").getString("transport");
            if (expect.equals("upgrade")) {
                if (!upgraded && connectedOn.equals("polling")) {
                    String next = socket.nextLine(Duration.ofSeconds(30));
                    assertEquals("{\"upgrade\":\"websocket\"}", next, name + ": no upgrade to websocket\n" + container.tail());
                }
            } else {
                assertEquals(expect, connectedOn, name + ": " + first);
            }

            HttpResponse<String> reply = session.http().send(HttpRequest.newBuilder(base.resolve(CHAT))
                            .timeout(Duration.ofSeconds(90))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(chatBody()))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode(), name + ": " + reply.body());
            JsonObject message = json(reply.body().trim()).getJsonObject("message");
            assertTrue(message.getBoolean("success"), reply.body());
            assertEquals(ANSWER, message.getString("content"));
            assertEquals(ANSWER, message.getString("response"));
            assertEquals(REASONING, message.getString("reasoning"));

            List<JsonObject> events = new ArrayList<>();
            while (events.isEmpty() || !"complete".equals(events.get(events.size() - 1).getString("type", ""))) {
                String line = socket.nextLine(Duration.ofSeconds(30));
                JsonObject item = json(line);
                if (item.containsKey("event")) {
                    assertEquals("ai_progress", item.getString("event"), line);
                    events.add(item.getJsonObject("data"));
                } else if (item.containsKey("connect_error") || item.containsKey("timeout")) {
                    fail(name + ": " + line);
                }
            }
            assertEquals(0, socket.awaitExit(Duration.ofSeconds(10)), socket.stderr());
            assertEvents(events, message.getString("task_id"));
        }
    }

    /**
     * The body arrives in two pieces, the second after the servlet's first dispatch has returned,
     * so the request is read and answered from the container's non-blocking I/O callbacks.
     */
    @Test
    @Order(2)
    void chatCompletion_acceptEventStreamBodyLate_sseEventsThenReply() throws Exception {
        Session session = login();
        upstream.enqueue(MockResponse.sse(stream()).splitEvery(5));
        HttpResponse<String> reply = session.http().send(HttpRequest.newBuilder(base.resolve(CHAT))
                        .timeout(Duration.ofSeconds(90))
                        .header("Content-Type", "application/json")
                        .header("Accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowBody(chatBody())))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), name + ": " + reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                reply.headers().toString());

        List<JsonObject> events = new ArrayList<>();
        JsonObject replyBody = null;
        for (String block : reply.body().replace("\r\n", "\n").split("\n\n")) {
            String event = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
            if (data.length() == 0) {
                continue; // keep-alive comments
            }
            assertTrue(replyBody == null, "nothing may follow event: reply");
            if (event.equals("ai_progress")) {
                events.add(json(data.toString()));
            } else if (event.equals("reply")) {
                replyBody = json(data.toString());
            } else {
                fail("unexpected SSE event " + event);
            }
        }
        assertTrue(replyBody != null, "no event: reply in\n" + reply.body());
        JsonObject message = replyBody.getJsonObject("message");
        assertEquals(ANSWER, message.getString("content"));
        assertEquals(REASONING, message.getString("reasoning"));
        assertEvents(events, message.getString("task_id"));
    }

    /**
     * Undeploy while a chat streams (the WAR file removed from the deployment directory): the
     * upstream call is closed, and afterwards no thread of the plugin or of its upstream HTTP client
     * ({@code ai-progress-*}, {@code HttpClient-*}) is left and no instance of the plugin's classes
     * is reachable (a class histogram of live objects, taken after full GCs, finds none): the old
     * deployment's class loader can be collected. Then the WAR is redeployed for the tests after this.
     */
    final void checkUndeployDuringAStream() throws Exception {
        assertTrue(deployedWar.isPresent(), name + "'s launcher gives no deployed WAR to delete");
        Session session = login();
        String head = OpenAiStream.create(MODEL).role().reasoning("Thinking it over.").content("The answer is").build();
        upstream.enqueue(MockResponse.sse(head + OpenAiStream.create(MODEL).content(" never").build())
                .splitAt(head.length()).stallAfter(1));
        int before = upstream.requestCount();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> reply = session.http().sendAsync(
                HttpRequest.newBuilder(base.resolve(CHAT)).timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(chatBody())).build(),
                HttpResponse.BodyHandlers.ofString());
        Await.within(Duration.ofSeconds(60), () -> upstream.requestCount() != before);
        assertTrue(upstream.requestCount() > before, name + ": the chat never reached the upstream");

        java.nio.file.Files.delete(deployedWar.get());
        try {
            assertUndeployedPluginIsGone(reply);
        } finally {
            // back for the tests after this one, whatever the outcome here
            java.nio.file.Files.copy(war, deployedWar.get());
            container.awaitReady(base, launcherUsed.startTimeout());
        }
    }

    private void assertUndeployedPluginIsGone(java.util.concurrent.CompletableFuture<HttpResponse<String>> reply)
            throws Exception {
        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(90)),
                name + ": the upstream call was not closed at undeploy\n" + container.tail());
        try {
            reply.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException cut) {
            // the container may close the connection at undeploy; what counts here is what is left
        }
        String leftOver = "";
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < until) {
            // other traffic, as on a live server: an idle pool thread may keep its last task (on
            // WildFly the async completion of the cut request, which references the old deployment)
            // in a stack slot until it runs another one
            otherTraffic();
            leftOver = keepsUndeployedContext().isPresent()
                    ? runningStateIn(container.leftOverOfPlugin()) : container.leftOverOfPlugin();
            if (leftOver.isEmpty()) {
                break;
            }
            Thread.sleep(2_000);
        }
        if (!leftOver.isEmpty()) {
            Path dump = container.heapDump();
            fail(name + ": the undeployed plugin is still there after full GCs: " + leftOver + "\nheap dump: " + dump);
        }
    }

    /** The threads and running-state objects among what {@link ContainerProcess#leftOverOfPlugin} found. */
    static String runningStateIn(String leftOver) {
        List<String> found = new ArrayList<>();
        for (String item : leftOver.split(", ")) {
            if (item.isEmpty()) {
                continue;
            }
            String className = item.startsWith("thread ") ? null : item.substring(0, item.lastIndexOf(" x"));
            String simple = className == null ? null : className.substring(className.lastIndexOf('.') + 1);
            if (className == null || RUNNING_STATE.contains(simple)) {
                found.add(item);
            }
        }
        return String.join(", ", found);
    }

    private void otherTraffic() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(base.resolve("/other-traffic-" + i))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()));
        }
        for (var call : calls) {
            try {
                call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ignored) {
                // only the work it causes counts
            }
        }
    }

    /**
     * SIGTERM while a chat streams (JSON reply): the chat call gets its failure reply (AIP-017, the
     * partial text kept) or an error status, never an empty 200. Runs last: it stops the container.
     */
    final void checkSigtermDuringAStream() throws Exception {
        Session session = login();
        String head = OpenAiStream.create(MODEL).role().reasoning("Thinking it over.").content("The answer is").build();
        upstream.enqueue(MockResponse.sse(head + OpenAiStream.create(MODEL).content(" never").build())
                .splitAt(head.length()).stallAfter(1));
        int before = upstream.requestCount();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> reply = session.http().sendAsync(
                HttpRequest.newBuilder(base.resolve(CHAT)).timeout(Duration.ofSeconds(90))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(chatBody())).build(),
                HttpResponse.BodyHandlers.ofString());
        Await.within(Duration.ofSeconds(60), () -> upstream.requestCount() != before);
        assertTrue(upstream.requestCount() > before, name + ": the chat never reached the upstream");
        Thread.sleep(1_000); // lets the partial answer reach the plugin; the outcome is checked either way

        assertTrue(container.stop(Duration.ofSeconds(60)), name + " did not stop on SIGTERM");
        HttpResponse<String> r = reply.get(30, java.util.concurrent.TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
            assertFalse(r.body().isBlank(), name + ": an empty 200 after SIGTERM\n" + container.tail());
            JsonObject message = json(r.body().trim()).getJsonObject("message");
            assertFalse(message.getBoolean("success"), r.body());
            assertEquals("AIP-017", message.getString("code"), r.body());
        } else {
            assertTrue(r.statusCode() >= 500, name + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** Reasoning then text deltas, rebuilding both texts exactly; completion, then complete, last. */
    private static void assertEvents(List<JsonObject> events, String taskId) {
        StringBuilder reasoning = new StringBuilder();
        StringBuilder text = new StringBuilder();
        List<String> order = new ArrayList<>();
        long lastSeq = 0;
        for (JsonObject e : events) {
            assertEquals(taskId, e.getString("task_id"), e.toString());
            long seq = e.getJsonNumber("seq").longValue();
            assertTrue(seq > lastSeq, "seq must increase: " + events);
            lastSeq = seq;
            String type = e.getString("type");
            if (order.isEmpty() || !order.get(order.size() - 1).equals(type)) {
                order.add(type);
            }
            if (type.equals("reasoning")) {
                reasoning.append(e.getString("text"));
            } else if (type.equals("text")) {
                text.append(e.getString("text"));
            } else if (type.equals("completion")) {
                assertEquals(ANSWER, e.getString("text"));
                assertEquals(REASONING, e.getString("reasoning"));
            }
        }
        assertEquals(REASONING, reasoning.toString());
        assertEquals(ANSWER, text.toString());
        assertEquals(List.of("thinking", "reasoning", "text", "completion", "complete"), order,
                events.stream().map(e -> e.getString("type")).collect(Collectors.joining(",")));
    }

    private static String stream() {
        OpenAiStream s = OpenAiStream.create(MODEL).keepAlive().role();
        for (String piece : REASONING.split("(?<= )")) {
            s.reasoning(piece);
        }
        for (String piece : ANSWER.split("(?<= )")) {
            s.content(piece);
        }
        return s.finish("stop").usage(12, 40, 22).done().build();
    }

    private static String chatBody() {
        return Json.createObjectBuilder()
                .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("role", "user").add("content", "Which is larger, 9.11 or 9.9?")))
                .add("conversation_id", "conv-1")
                .add("mode", "chat")
                .build().toString();
    }

    /** Half the body, a pause, then the rest: the container sees the end of the body late. */
    private static final class SlowBody extends java.io.InputStream {
        private final byte[] bytes;
        private int pos;

        SlowBody(String text) {
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= bytes.length) {
                return -1;
            }
            int half = bytes.length / 2;
            if (pos == half) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int end = pos < half ? half : bytes.length;
            int n = Math.min(len, end - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private record Session(HttpClient http, String sid, String cookieHeader) {
    }

    /** Frappe-style login: form usr/pwd; the container sets the session cookie named sid. */
    private Session login() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String form = "usr=" + URLEncoder.encode(ContainerLauncher.USER, StandardCharsets.UTF_8)
                + "&pwd=" + URLEncoder.encode(ContainerLauncher.PASSWORD, StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/method/login"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), name + " login: " + r.body() + "\n" + container.tail());
        assertEquals("Logged In", json(r.body()).getString("message"));
        String sidHeader = r.headers().allValues("set-cookie").stream().filter(h -> h.startsWith("sid="))
                .findFirst().orElseThrow(() -> new AssertionError(name + ": no Set-Cookie sid: " + r.headers()));
        assertTrue(sidHeader.toLowerCase(java.util.Locale.ROOT).contains("samesite=lax"), name + ": " + sidHeader);
        List<HttpCookie> all = cookies.getCookieStore().get(base);
        String sid = all.stream().filter(c -> c.getName().equals("sid")).map(HttpCookie::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": no sid cookie after login: " + all
                        + " headers " + r.headers().allValues("set-cookie")));
        String header = all.stream().map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));

        HttpResponse<String> who = http.send(HttpRequest.newBuilder(base.resolve(ContainerProcess.READY_PATH))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, who.statusCode(), who.body());
        assertEquals(ContainerLauncher.USER, json(who.body()).getString("message"));
        return new Session(http, sid, header);
    }
}
