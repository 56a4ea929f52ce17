package dev.aiprogress.web;

import dev.aiprogress.testsupport.EmbeddedJetty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each request limit exactly at its value (accepted) and one past it (refused with 413 and a
 * message naming the key): {@code max-body-bytes}, {@code max-messages}, {@code max-content-chars}.
 * (Concurrent generations per user: ChatValidationWebTest; sockets per user: SocketLimitWebTest;
 * outbox bounds: OutboxTest and SlowSocketTest.)
 */
class LimitsEdgeWebTest {

    static final int MAX_BODY = 4096;
    static final int MAX_MESSAGES = 3;
    static final int MAX_CONTENT = 100;
    static EmbeddedJetty jetty;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .initParam("ai-progress.limits.max-body-bytes", Integer.toString(MAX_BODY))
                .initParam("ai-progress.limits.max-messages", Integer.toString(MAX_MESSAGES))
                .initParam("ai-progress.limits.max-content-chars", Integer.toString(MAX_CONTENT))
                .start();
        client = jetty.newClient();
        assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    static HttpResponse<String> chat(String body) throws Exception {
        return jetty.postJson(client, ChatWeb.CHAT, body);
    }

    /** A valid body of exactly {@code bytes} UTF-8 bytes (padded with JSON whitespace). */
    static String bodyOfBytes(int bytes) {
        String head = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        String tail = "}";
        String body = head + " ".repeat(bytes - head.length() - tail.length()) + tail;
        assertEquals(bytes, body.getBytes(StandardCharsets.UTF_8).length);
        return body;
    }

    static String messages(int count) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add("{\"role\":\"" + (i % 2 == 0 ? "user" : "assistant") + "\",\"content\":\"m" + i + "\"}");
        }
        return "{\"messages\":[" + String.join(",", all) + "]}";
    }

    static void assertRefused(HttpResponse<String> r, int status, String key) {
        assertEquals(status, r.statusCode(), r.body());
        String message = ChatWeb.json(r.body()).getString("message");
        assertTrue(message.contains("(ai-progress.limits." + key + ")"), message);
    }

    @Test
    void bodyBytes_exactlyAtTheLimit_isAccepted() throws Exception {
        HttpResponse<String> r = chat(bodyOfBytes(MAX_BODY));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void bodyBytes_oneOverTheLimit_is413() throws Exception {
        assertRefused(chat(bodyOfBytes(MAX_BODY + 1)), 413, "max-body-bytes");
    }

    @Test
    void messages_exactlyAtTheLimit_isAccepted() throws Exception {
        HttpResponse<String> r = chat(messages(MAX_MESSAGES));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void messages_oneOverTheLimit_is413() throws Exception {
        assertRefused(chat(messages(MAX_MESSAGES + 1)), 413, "max-messages");
    }

    @Test
    void contentChars_exactlyAtTheLimit_isAccepted() throws Exception {
        HttpResponse<String> r = chat(ChatWeb.userMessage("é".repeat(MAX_CONTENT), ""));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void contentChars_oneOverTheLimit_is413() throws Exception {
        assertRefused(chat(ChatWeb.userMessage("é".repeat(MAX_CONTENT + 1), "")), 413, "max-content-chars");
    }
}
