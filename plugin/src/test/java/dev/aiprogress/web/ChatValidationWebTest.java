package dev.aiprogress.web;

import dev.aiprogress.web.http.HttpServices;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.EmbeddedJetty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests the chat endpoint refuses, through real HTTP: each with its status and Frappe body
 * {@code {"exc_type","exception","message"}}. Long generations are held open by a scripted
 * provider paced at one step an hour, and cancelled through the cancel endpoint afterwards.
 */
class ChatValidationWebTest {

    static EmbeddedJetty jetty;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.providers", "scripted,stalled")
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .initParam("ai-progress.provider.stalled.dialect", "scripted")
                .initParam("ai-progress.provider.stalled.pacing", "1h")
                .initParam("ai-progress.limits.max-body-bytes", "2048")
                .initParam("ai-progress.limits.max-concurrent-per-user", "2")
                .users(java.util.Map.of("demo", "demo", "alice", "pw"))
                .start();
        client = jetty.newClient();
        assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    static String frappe(String excType, String message) {
        return "{\"exc_type\":\"" + excType + "\",\"exception\":\"" + excType + ": " + message + "\",\"message\":\"" + message + "\"}";
    }

    static void assertRefused(HttpResponse<String> r, int status, String excType, String message) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals(frappe(excType, message), r.body());
    }

    @Test
    void chat_malformedJson_is400() throws Exception {
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, "{\"messages\": [}"), 400, "ValidationError",
                "request body is not valid JSON: line 1, column 15");
    }

    @Test
    void chat_noMessages_is400() throws Exception {
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, "{\"conversation_id\":\"c\"}"), 400, "ValidationError",
                "messages is required (or message, for the short form)");
    }

    @Test
    void chat_emptyMessages_is400() throws Exception {
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, "{\"messages\":[]}"), 400, "ValidationError",
                "messages must not be empty");
    }

    @Test
    void chat_unknownRole_is400() throws Exception {
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"),
                400, "ValidationError", "messages[0].role: unknown role 'wizard'; one of system, user, assistant, tool");
    }

    @Test
    void chat_temperatureOutOfRange_is400() throws Exception {
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("hi", "\"temperature\":3")),
                400, "ValidationError", "temperature must be a number between 0 and 2, was 3");
    }

    @Test
    void chat_unknownProvider_is400() throws Exception {
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("hi", "\"provider\":\"nope\"")),
                400, "ValidationError", "unknown provider 'nope'; configured: scripted, stalled");
    }

    @Test
    void chat_bodyOverTheLimit_is413() throws Exception {
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("x".repeat(3000), "")),
                413, "RequestTooLargeError", "request body is larger than 2048 bytes (ai-progress.limits.max-body-bytes)");
    }

    @Test
    void chat_notLoggedIn_is401() throws Exception {
        assertRefused(jetty.postJson(jetty.newClient(), ChatWeb.CHAT, ChatWeb.userMessage("hi", "")),
                401, "AuthenticationError", "Not logged in: log in or send Authorization: token <key>:<secret>");
    }

    @Test
    void chat_foreignOrigin_is403() throws Exception {
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("hi", ""), "Origin", "https://evil.example"),
                403, "PermissionError", "cross-origin request refused: origin 'https://evil.example' is not allowed");
    }

    @Test
    void chat_duplicateLiveTaskId_is409() throws Exception {
        CompletableFuture<HttpResponse<String>> first = ChatWeb.chatAsync(jetty, client,
                ChatWeb.userMessage("hold on", "\"provider\":\"stalled\",\"task_id\":\"dup-1\""));
        awaitLive(1);
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("again", "\"task_id\":\"dup-1\"")),
                409, "DuplicateEntryError", "A task with id 'dup-1' is already running.");
        // asked for SSE, refused before streaming: still a plain JSON error with its status
        HttpResponse<String> sse = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("again", "\"task_id\":\"dup-1\""),
                "Accept", "text/event-stream");
        assertRefused(sse, 409, "DuplicateEntryError", "A task with id 'dup-1' is already running.");
        assertEquals(200, jetty.postJson(client, ChatWeb.CANCEL, "{\"task_id\":\"dup-1\"}").statusCode());
        assertFalse(ChatWeb.message(first.get()).getBoolean("success"));
    }

    @Test
    void chat_overTheConcurrentLimit_is429() throws Exception {
        CompletableFuture<HttpResponse<String>> a = ChatWeb.chatAsync(jetty, client,
                ChatWeb.userMessage("one", "\"provider\":\"stalled\",\"task_id\":\"lim-a\""));
        CompletableFuture<HttpResponse<String>> b = ChatWeb.chatAsync(jetty, client,
                ChatWeb.userMessage("two", "\"provider\":\"stalled\",\"task_id\":\"lim-b\""));
        awaitLive(2);
        assertRefused(jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("three", "\"provider\":\"scripted\"")),
                429, "RateLimitExceededError",
                "Too many generations at once: at most 2 may run per user. Wait for one to finish or cancel one.");
        // the limit is per user: alice still may
        HttpClient alice = jetty.newClient();
        assertEquals(200, jetty.login(alice, "alice", "pw").statusCode());
        HttpResponse<String> hers = jetty.postJson(alice, ChatWeb.CHAT, ChatWeb.userMessage("hers", "\"provider\":\"scripted\""));
        assertEquals(200, hers.statusCode(), hers.body());
        assertTrue(ChatWeb.message(hers).getBoolean("success"));
        assertEquals(200, jetty.postJson(client, ChatWeb.CANCEL, "{\"task_id\":\"lim-a\"}").statusCode());
        assertEquals(200, jetty.postJson(client, ChatWeb.CANCEL, "{\"task_id\":\"lim-b\"}").statusCode());
        assertEquals("AIP-017", ChatWeb.message(a.get()).getString("code"));
        assertEquals("AIP-017", ChatWeb.message(b.get()).getString("code"));
    }

    /** Waits until demo has {@code count} live generations. */
    static void awaitLive(int count) throws InterruptedException {
        HttpServices runtime = HttpServices.of(jetty.context().getServletContext());
        Await.until(Duration.ofSeconds(5), () -> runtime.gateway().tasks().liveCount("demo") >= count,
                "demo never had " + count + " live generations");
    }
}
