package dev.aiprogress.demo;

import dev.aiprogress.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo server as {@code java -jar} starts it, in-process on an ephemeral port: the page, the
 * login realm, the plugin's endpoints, and the command line's errors (in a child JVM, since
 * {@code main} exits).
 */
class DemoMainTest {

    private static final String CHAT = "/api/method/ai_assistant.api.chat_completion";

    @TempDir
    Path dir;

    /** Scripted pacing 0: tests assert order and content, never timing. */
    private Path config(String... lines) throws Exception {
        List<String> all = new ArrayList<>(List.of("ai-progress.provider.scripted.pacing=0ms"));
        all.addAll(List.of(lines));
        return Files.write(dir.resolve("demo.properties"), all, StandardCharsets.UTF_8);
    }

    private static DemoServer start(Path config, Map<String, String> env, PrintStream out) throws Exception {
        return DemoServer.start(DemoArgs.parse(new String[] {"--port", "0", "--config", config.toString()}), env, out);
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, URI uri, String type, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> login(HttpClient client, URI base, String user, String password) throws Exception {
        return post(client, base.resolve("/api/method/login"), "application/x-www-form-urlencoded",
                "usr=" + user + "&pwd=" + password);
    }

    @Test
    void page_andApi_carrySecurityHeaders_noServerBanner_traceRefused() throws Exception {
        try (DemoServer server = start(config(), Map.of(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8))) {
            HttpClient client = browser();
            HttpResponse<String> page = get(client, server.uri());
            assertEquals(200, page.statusCode());
            String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertTrue(csp.contains("script-src 'self'"), csp);
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElseThrow());
            assertTrue(page.headers().firstValue("Server").isEmpty(), page.headers().toString());

            HttpResponse<String> json = get(client, server.uri().resolve("/ai-progress/providers"));
            assertEquals("nosniff", json.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertTrue(json.headers().firstValue("Server").isEmpty(), json.headers().toString());

            for (String path : new String[] {"/", "/api/method/login", "/ai-progress/health", CHAT}) {
                HttpResponse<String> trace = client.send(HttpRequest.newBuilder(server.uri().resolve(path))
                        .method("TRACE", HttpRequest.BodyPublishers.noBody()).header("Authorization", "token k:secret-x")
                        .header("Cookie", "sid=secret-cookie").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, trace.statusCode(), path + " " + trace.body());
                assertTrue(!trace.body().contains("secret-x") && !trace.body().contains("secret-cookie"), trace.body());
            }
        }
    }

    @Test
    void start_portZero_printsTheUrlItServes() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (DemoServer server = start(config(), Map.of(), new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String out = printed.toString(StandardCharsets.UTF_8);
            assertTrue(server.uri().getPort() > 0, server.uri().toString());
            assertTrue(out.startsWith("ai-progress demo serving " + server.uri() + "\n"), out);
            assertTrue(out.contains("sign in as: demo (password demo)"), out);
            assertTrue(out.contains("providers:  scripted"), out);
        }
    }

    @Test
    void root_servesTheDemoPageAndItsAssets() throws Exception {
        try (DemoServer server = start(config(), Map.of(), System.out)) {
            HttpClient client = browser();
            HttpResponse<String> page = get(client, server.uri());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
            assertTrue(page.body().contains("<title>ai-progress demo</title>"), page.body());
            for (String asset : List.of("app.js", "ops.js", "markdown.js", "style.css")) {
                HttpResponse<String> r = get(client, server.uri().resolve("/" + asset));
                assertEquals(200, r.statusCode(), asset);
                assertTrue(r.body().length() > 100, asset);
            }
            assertEquals(404, get(client, server.uri().resolve("/no-such-file.js")).statusCode());
        }
    }

    @Test
    void login_demoUser_isSignedInWithTheSidCookie() throws Exception {
        try (DemoServer server = start(config(), Map.of(), System.out)) {
            HttpClient client = browser();
            HttpResponse<String> r = login(client, server.uri(), "demo", "demo");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("sid=") && c.contains("SameSite=Lax")),
                    r.headers().allValues("Set-Cookie").toString());
            HttpResponse<String> who = get(client, server.uri().resolve("/api/method/frappe.auth.get_logged_user"));
            assertEquals(200, who.statusCode());
            assertEquals("{\"message\":\"demo\"}", who.body());
        }
    }

    @Test
    void login_wrongPassword_isRefused() throws Exception {
        try (DemoServer server = start(config(), Map.of(), System.out)) {
            HttpResponse<String> r = login(browser(), server.uri(), "demo", "wrong");
            assertTrue(r.statusCode() == 401 || r.statusCode() == 403, r.statusCode() + " " + r.body());
        }
    }

    @Test
    void login_usersFromConfigFile_replaceTheDefault() throws Exception {
        try (DemoServer server = start(config("ai-progress.demo.users=alice:wonder,bob:builder"), Map.of(), System.out)) {
            assertEquals(200, login(browser(), server.uri(), "alice", "wonder").statusCode());
            assertEquals(200, login(browser(), server.uri(), "bob", "builder").statusCode());
            int demo = login(browser(), server.uri(), "demo", "demo").statusCode();
            assertTrue(demo == 401 || demo == 403, "demo:demo must be gone, got " + demo);
        }
    }

    @Test
    void providers_listsScriptedWithItsModels() throws Exception {
        try (DemoServer server = start(config(), Map.of(), System.out)) {
            HttpClient client = browser();
            login(client, server.uri(), "demo", "demo");
            HttpResponse<String> r = get(client, server.uri().resolve("/ai-progress/providers"));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("{\"name\":\"scripted\",\"dialect\":\"scripted\",\"default_model\":\"scripted-reasoner\""),
                    r.body());
            assertTrue(r.body().contains("\"scripted-slow\""), r.body());
        }
    }

    @Test
    void chat_scriptedReasoner_returnsACompletedReply() throws Exception {
        try (DemoServer server = start(config(), Map.of(), System.out)) {
            HttpClient client = browser();
            login(client, server.uri(), "demo", "demo");
            HttpResponse<String> r = post(client, server.uri().resolve(CHAT), "application/json",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"What is streaming?\"}],\"task_id\":\"demo-test-1\"}");
            assertEquals(200, r.statusCode(), r.body());
            String body = r.body().strip();
            assertTrue(body.startsWith("{\"message\":{\"success\":true,\"role\":\"assistant\",\"content\":\"**You asked:** What is streaming?"),
                    body);
            assertTrue(body.contains("\"reasoning\":\"The user wrote:"), body);
            assertTrue(body.contains("\"provider\":\"scripted\",\"model\":\"scripted-reasoner\""), body);
            assertTrue(body.contains("\"task_id\":\"demo-test-1\""), body);
            assertTrue(body.matches(".*\"usage\":\\{\"input_tokens\":\\d+,\"output_tokens\":\\d+,\"total_tokens\":\\d+.*"), body);
        }
    }

    @Test
    void chat_withoutSignIn_isRefused() throws Exception {
        try (DemoServer server = start(config(), Map.of(), System.out)) {
            HttpResponse<String> r = post(browser(), server.uri().resolve(CHAT), "application/json",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertTrue(r.statusCode() == 401 || r.statusCode() == 403, r.statusCode() + " " + r.body());
        }
    }

    @Test
    void start_invalidDemoUsers_failsNamingTheKeyBeforeListening() throws Exception {
        Path bad = config("ai-progress.demo.users=nopassword");
        ConfigException e = assertThrows(ConfigException.class, () -> start(bad, Map.of(), System.out));
        assertEquals("ai-progress.demo.users", e.key());
        assertTrue(!e.getMessage().contains("nopassword"), "never echo a users entry: " + e.getMessage());
    }

    // ---- the command line, in a child JVM because main() exits

    private static Process runMain(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DemoMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String finish(Process p, int expectedExit) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the demo did not exit");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }

    @Test
    void main_badPort_exitsTwoWithTheReasonAndUsage() throws Exception {
        String out = finish(runMain("--port", "http"), 2);
        assertTrue(out.contains("ai-progress demo: --port: expected 0-65535, got 'http'"), out);
        assertTrue(out.contains("usage: java -jar ai-progress-demo.jar"), out);
    }

    @Test
    void main_missingConfigFile_exitsTwoNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.properties");
        String out = finish(runMain("--config", missing.toString()), 2);
        assertTrue(out.contains("ai-progress demo: --config: no readable file at " + missing.toAbsolutePath()), out);
    }

    @Test
    void main_portInUse_exitsOneSayingSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String out = finish(runMain("--port", String.valueOf(taken.getLocalPort()), "--config", config().toString()), 1);
            assertTrue(out.contains("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (address already in use)"), out);
        }
    }

    @Test
    void main_help_printsUsageAndExitsZero() throws Exception {
        String out = finish(runMain("--help"), 0);
        assertTrue(out.contains("--port N") && out.contains("--config FILE") && out.contains("DEEPSEEK_API_KEY"), out);
    }
}
