package dev.aiprogress.web.ops;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import dev.aiprogress.auth.FileTokenVerifier;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captures every log record of the plugin (System.Logger lands in java.util.logging) during real
 * generations — scripted success by session login, an upstream error echoing the key by token
 * login — and finds one {@code AIP-030} line per generation with the right fields, and no secret
 * (api key, token secret, session id, the user's message text) in any record at any level.
 */
class GenerationLogWebTest {

    static final String KEY = "sk-live-log-abcdef0123456789";
    static final String TOKEN_SECRET = "tok-secret-ZYXW9876";
    static final String MESSAGE = "please keep this private sentence 7731";

    /** Collects formatted records (message and stack trace). */
    static final class Capture extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            StringBuilder b = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + " "
                    + formatter.formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter w = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(w));
                b.append('\n').append(w);
            }
            lines.add(b.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    static String hash12(String user) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d).substring(0, 12);
    }

    @Test
    void generations_logOneAip030LineEach_andNoSecretAnywhere(@TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, FileTokenVerifier.hashLine("tok-user", TOKEN_SECRET, 1_000) + "\n");
        Logger plugin = Logger.getLogger("dev.aiprogress");
        Level before = plugin.getLevel();
        Capture capture = new Capture();
        capture.setLevel(Level.ALL);
        plugin.setLevel(Level.ALL);
        plugin.addHandler(capture);
        String sessionId;
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = EmbeddedJetty.builder()
                     .initParam("ai-progress.providers", "primary,scripted")
                     .initParam("ai-progress.provider.primary.dialect", "openai")
                     .initParam("ai-progress.provider.primary.base-url", upstream.baseUrl().toString())
                     .initParam("ai-progress.provider.primary.api-key", KEY)
                     .initParam("ai-progress.provider.primary.model", "deepseek-reasoner")
                     .initParam("ai-progress.provider.scripted.pacing", "0")
                     .initParam("ai-progress.auth.tokens-file", tokens.toString())
                     .initParam("ai-progress.metrics.backend", "plugin")
                     .start()) {
            HttpClient demo = jetty.newClient();
            assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
            sessionId = ((CookieManager) demo.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("sid")).map(HttpCookie::getValue).findFirst().orElseThrow();

            JsonObject ok = Ops.chat(jetty, demo, Ops.userMessage(MESSAGE,
                    "\"provider\":\"scripted\",\"task_id\":\"log-ok\""));
            assertTrue(ok.getBoolean("success"), ok.toString());

            upstream.enqueue(MockResponse.sse(OpenAiStream.create("deepseek-reasoner").role().reasoning("Thinking.")
                    .content("The answer is").build()
                    + "data: {\"error\":{\"message\":\"key " + KEY + " is over quota\",\"type\":\"server_error\"}}\n\n"));
            HttpClient tokenClient = jetty.newClient();
            var r = jetty.postJson(tokenClient, Ops.CHAT, Ops.userMessage(MESSAGE,
                    "\"provider\":\"primary\",\"task_id\":\"log-err\""), "Authorization", "token tok-user:" + TOKEN_SECRET);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("AIP-016", Ops.json(r.body()).getJsonObject("message").getString("code"));

            Ops.await("both AIP-030 lines", () -> capture.lines.stream().filter(l -> l.contains("AIP-030")).count() >= 2);

            List<String> lines = capture.lines.stream().filter(l -> l.contains("AIP-030 generation")).toList();
            assertEquals(2, lines.size(), String.join("\n", lines));
            Pattern shape = Pattern.compile("INFO dev\\.aiprogress\\.generation AIP-030 generation task=(\\S+) user=(\\S+) "
                    + "provider=(\\S+) model=(\\S+) ttft_ms=(\\d+) duration_ms=(\\d+) chunks=(\\d+) outcome=(\\S+)");
            Matcher okLine = lines.stream().map(shape::matcher).filter(m -> m.matches() && m.group(1).equals("log-ok"))
                    .findFirst().orElseThrow(() -> new AssertionError(String.join("\n", lines)));
            assertEquals(hash12("demo"), okLine.group(2));
            assertEquals("scripted", okLine.group(3));
            assertEquals(ok.getString("model"), okLine.group(4));
            assertTrue(Long.parseLong(okLine.group(7)) > 0, okLine.group());
            assertEquals("ok", okLine.group(8));
            Matcher errLine = lines.stream().map(shape::matcher).filter(m -> m.matches() && m.group(1).equals("log-err"))
                    .findFirst().orElseThrow(() -> new AssertionError(String.join("\n", lines)));
            assertEquals(hash12("tok-user"), errLine.group(2));
            assertEquals("primary", errLine.group(3));
            assertEquals("deepseek-reasoner", errLine.group(4));
            assertEquals("2", errLine.group(7));
            assertEquals("AIP-016", errLine.group(8));
        } finally {
            plugin.removeHandler(capture);
            plugin.setLevel(before);
        }
        String session = sessionId.contains(".") ? sessionId.substring(0, sessionId.indexOf('.')) : sessionId;
        assertFalse(capture.lines.isEmpty());
        for (String line : capture.lines) {
            assertFalse(line.contains(KEY), line);
            assertFalse(line.contains("abcdef0123456789"), line);
            assertFalse(line.contains(TOKEN_SECRET), line);
            assertFalse(line.contains(session), line);
            assertFalse(line.contains(MESSAGE), line);
            assertFalse(line.contains("private sentence"), line);
        }
    }
}
