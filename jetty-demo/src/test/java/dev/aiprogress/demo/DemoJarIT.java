package dev.aiprogress.demo;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar itself, started as {@code java -jar} exactly as the README says, in the default
 * build (no browser needed): the page, sign-in, the realtime socket and a chat. It catches what only
 * the packaged jar can get wrong — merged service files (the WebSocket container), the multi-release
 * classes Yasson needs for records, the page served from inside a jar.
 */
class DemoJarIT {

    private static final Pattern TYPE = Pattern.compile("\"type\":\"([a-z_]+)\"");

    private static DemoProcess demo;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("ai-progress-jar-it");
        Path config = Files.writeString(work.resolve("demo.properties"),
                "ai-progress.provider.scripted.pacing=0ms\n", StandardCharsets.UTF_8);
        Path jar = Path.of(System.getProperty("demo.jar", "target/ai-progress-demo.jar"));
        demo = DemoProcess.start(jar, config, jar.toAbsolutePath().getParent().resolve("jar-it-demo.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
        Files.deleteIfExists(work.resolve("demo.properties"));
        Files.deleteIfExists(work);
    }

    @Test
    void jar_pageLoginSocketAndChat_allWork() throws Exception {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI base = demo.uri();

        HttpResponse<String> page = client.send(HttpRequest.newBuilder(base).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"app.js\"></script>"), page.body());

        HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("/api/method/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("usr=demo&pwd=demo")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        HttpCookie sid = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("sid")).findFirst()
                .orElseThrow(() -> new AssertionError("no sid cookie after sign-in"));

        // the page's own realtime channel, with the session cookie as a browser sends it
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = client.newWebSocketBuilder().header("Cookie", "sid=" + sid.getValue())
                .buildAsync(URI.create("ws://" + base.getAuthority() + "/ai-progress/ws"), new TextFrames(frames))
                .get(10, TimeUnit.SECONDS);
        try {
            // The client's handshake can complete before the server's onOpen has registered the
            // socket; any answer to a message proves it has (messages are handled after onOpen).
            socket.sendText("{\"action\":\"hello\",\"task_id\":\"none\"}", true).get(10, TimeUnit.SECONDS);
            String answer = frames.poll(30, TimeUnit.SECONDS);
            assertNotNull(answer, "the socket never answered");
            assertTrue(answer.contains("unknown action hello"), answer);

            HttpResponse<String> chat = client.send(HttpRequest.newBuilder(base.resolve("/api/method/ai_assistant.api.chat_completion"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"hello from the jar\"}],\"task_id\":\"jar-it-1\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, chat.statusCode(), chat.body());
            assertTrue(chat.body().startsWith("{\"message\":{\"success\":true,\"role\":\"assistant\",\"content\":\"**You asked:** hello from the jar"),
                    "a real reply, not {} (Multi-Release manifest): " + chat.body());

            List<String> types = new ArrayList<>();
            while (!types.contains("completion")) {
                String frame = frames.poll(30, TimeUnit.SECONDS);
                assertNotNull(frame, "no completion event on the socket; got " + types);
                if (frame.contains("\"task_id\":\"jar-it-1\"")) {
                    Matcher m = TYPE.matcher(frame);
                    assertTrue(m.find(), frame);
                    types.add(m.group(1));
                }
            }
            assertTrue(types.indexOf("reasoning") >= 0 && types.indexOf("reasoning") < types.indexOf("text"),
                    "reasoning before the answer: " + types);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    @Test
    void jar_socketIoClientInEveryTransportMode_deltasRebuildTheReply() throws Exception {
        Path logs = Path.of(System.getProperty("demo.jar", "target/ai-progress-demo.jar")).toAbsolutePath().getParent();
        // the extension's options (WebSocket), the library's defaults (long-polling, then the upgrade), long-polling only
        for (String transports : List.of("websocket,polling", "default", "polling")) {
            String task = "jar-sio-" + transports.replace(",", "-");
            NodeFlow.run(demo.uri(), transports, task, logs.resolve("jar-it-node-" + task + ".log"));
        }
    }
}
