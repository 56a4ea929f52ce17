package dev.aiprogress.web;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upstream trouble through real HTTP: failures after the first token keep the partial text (HTTP 200,
 * {@code success:false}); before it, retries, fallback and the first-token timeout; while streaming,
 * the idle timeout. The upstream's key is configured, and the mock echoes it: no body may show it.
 */
class ChatFailureWebTest {

    static final String KEY = "sk-live-0123456789abcdef";

    static MockUpstream upstream;
    static EmbeddedJetty jetty;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.start();
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.providers", "primary,scripted,idler")
                .initParam("ai-progress.provider.primary.dialect", "openai")
                .initParam("ai-progress.provider.primary.base-url", upstream.baseUrl().toString())
                .initParam("ai-progress.provider.primary.api-key", KEY)
                .initParam("ai-progress.provider.primary.model", "deepseek-reasoner")
                // a second name for the same upstream, with its own idle timeout (the idle timer runs
                // from the request on, so on "primary" it must stay above the first-token timeout).
                // Both timeouts stay well above scheduling noise on a loaded machine: a successful
                // stream must never hit them; the tests that want them to fire wait for that.
                .initParam("ai-progress.provider.idler.dialect", "openai")
                .initParam("ai-progress.provider.idler.base-url", upstream.baseUrl().toString())
                .initParam("ai-progress.provider.idler.model", "deepseek-reasoner")
                .initParam("ai-progress.provider.idler.idle-timeout", "3s")
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .initParam("ai-progress.gateway.first-token-timeout", "4s")
                .initParam("ai-progress.gateway.backoff", "10ms")
                .initParam("ai-progress.gateway.retries", "2")
                .start();
        client = jetty.newClient();
        assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        upstream.close();
    }

    private int requestsBefore;

    @BeforeEach
    void countRequests() {
        requestsBefore = upstream.requestCount();
    }

    static String partialStream() {
        return OpenAiStream.create("deepseek-reasoner").role().reasoning("Thinking it over.").content("The answer is")
                .build();
    }

    static void assertNoKey(String body) {
        assertFalse(body.contains(KEY), body);
        assertFalse(body.contains("0123456789abcdef"), body);
        assertFalse(body.contains("\tat "), body);
        assertFalse(body.contains("Exception"), body);
    }

    static void assertFailureReply(JsonObject m, String code, String content, String reasoning) {
        assertFalse(m.getBoolean("success"));
        assertEquals(code, m.getString("code"));
        assertEquals(content, m.getString("content"));
        assertEquals(content, m.getString("response"));
        assertEquals(reasoning, m.getString("reasoning"));
        assertFalse(m.getString("error").isBlank());
        assertFalse(m.getString("task_id").isBlank());
    }

    @Test
    void chat_upstreamErrorAfterFirstToken_isSuccessFalseWithThePartialText() throws Exception {
        upstream.enqueue(MockResponse.sse(partialStream()
                + "data: {\"error\":{\"message\":\"overloaded; your key " + KEY + " is rate limited\",\"type\":\"server_error\"}}\n\n"));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", "\"task_id\":\"fail-1\""));
        assertEquals(200, r.statusCode(), r.body());
        assertNoKey(r.body());
        JsonObject m = ChatWeb.message(r);
        assertFailureReply(m, "AIP-016", "The answer is", "Thinking it over.");
        assertEquals("fail-1", m.getString("task_id"));
        assertEquals("primary", m.getString("provider"));
        assertEquals(1, upstream.requestCount() - requestsBefore);
    }

    @Test
    void chat_truncatedStream_isAip014WithThePartialText() throws Exception {
        String body = partialStream();
        upstream.enqueue(MockResponse.sse(body + "data: {\"id\":\"chatcmpl-1\",\"obj").truncateAfter(body.length() + 20));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", ""));
        assertEquals(200, r.statusCode(), r.body());
        assertNoKey(r.body());
        assertFailureReply(ChatWeb.message(r), "AIP-014", "The answer is", "Thinking it over.");
    }

    @Test
    void chat_upstreamErrorInSseMode_sendsAnErrorEventWithThePartialText() throws Exception {
        upstream.enqueue(MockResponse.sse(partialStream()
                + "data: {\"error\":{\"message\":\"bad key " + KEY + "\"}}\n\n"));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", "\"task_id\":\"fail-sse\""),
                "Accept", "text/event-stream");
        assertEquals(200, r.statusCode(), r.body());
        assertNoKey(r.body());
        List<ChatWeb.SseEvent> events = ChatWeb.sse(r.body());
        ChatWeb.SseEvent error = events.get(events.size() - 2);
        JsonObject e = error.json();
        assertEquals("error", e.getString("type"));
        assertEquals("AIP-016", e.getString("code"));
        assertEquals("The answer is", e.getString("text"));
        assertEquals("Thinking it over.", e.getString("reasoning"));
        assertEquals(String.valueOf(e.getInt("seq")), error.id());
        assertEquals("reply", events.get(events.size() - 1).event());
        assertFailureReply(events.get(events.size() - 1).json().getJsonObject("message"), "AIP-016", "The answer is",
                "Thinking it over.");
    }

    @Test
    void chat_503ThenSuccess_isRetried() throws Exception {
        upstream.enqueue(MockResponse.status(503).header("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"busy\"}}").contentLength());
        upstream.enqueue(MockResponse.sse(ChatReplyWebTest.deepSeekStream()));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", ""));
        JsonObject m = ChatWeb.message(r);
        assertTrue(m.getBoolean("success"), r.body());
        assertEquals("primary", m.getString("provider"));
        assertEquals(ChatReplyWebTest.ANSWER, m.getString("content"));
        assertEquals(2, upstream.requestCount() - requestsBefore);
    }

    @Test
    void chat_503WithRetryAfter_isRetriedAfterIt() throws Exception {
        upstream.enqueue(MockResponse.status(503).header("Retry-After", "1").header("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"busy\"}}").contentLength());
        upstream.enqueue(MockResponse.sse(ChatReplyWebTest.deepSeekStream()));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", ""));
        JsonObject m = ChatWeb.message(r);
        assertTrue(m.getBoolean("success"), r.body());
        assertEquals("primary", m.getString("provider"));
        assertEquals(2, upstream.requestCount() - requestsBefore);
    }

    @Test
    void chat_primaryKeepsFailing_fallsBackToTheNextProvider() throws Exception {
        for (int i = 0; i < 3; i++) {
            upstream.enqueue(MockResponse.status(503).header("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"down for key " + KEY + "\"}}").contentLength());
        }
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", ""));
        assertNoKey(r.body());
        JsonObject m = ChatWeb.message(r);
        assertTrue(m.getBoolean("success"), r.body());
        assertEquals("scripted", m.getString("provider"));
        assertEquals(3, upstream.requestCount() - requestsBefore);
    }

    @Test
    void chat_namedProviderKeepsFailing_failsWithAip010AndNoKey() throws Exception {
        for (int i = 0; i < 3; i++) {
            upstream.enqueue(MockResponse.status(503).header("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"down for key " + KEY + "\"}}").contentLength());
        }
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", "\"provider\":\"primary\""));
        assertEquals(200, r.statusCode());
        assertNoKey(r.body());
        assertFailureReply(ChatWeb.message(r), "AIP-010", "", "");
        assertEquals(3, upstream.requestCount() - requestsBefore);
    }

    @Test
    void chat_noFirstTokenInTime_fallsBackAndClosesTheSlowUpstream() throws Exception {
        upstream.enqueue(MockResponse.sse(ChatReplyWebTest.deepSeekStream()).delayHeaders(Duration.ofSeconds(20)));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", ""));
        JsonObject m = ChatWeb.message(r);
        assertTrue(m.getBoolean("success"), r.body());
        assertEquals("scripted", m.getString("provider"));
        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(15)));
    }

    @Test
    void chat_namedProviderSlowToAnswer_failsWithAip012() throws Exception {
        upstream.enqueue(MockResponse.sse(ChatReplyWebTest.deepSeekStream()).delayHeaders(Duration.ofSeconds(20)));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", "\"provider\":\"primary\""));
        assertEquals(200, r.statusCode());
        assertFailureReply(ChatWeb.message(r), "AIP-012", "", "");
        assertEquals("The model provider 'primary' sent no answer within 4 seconds.", ChatWeb.message(r).getString("error"));
        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(15)));
    }

    @Test
    void chat_upstreamStallsMidAnswer_isAip013KeepingThePartialText() throws Exception {
        String body = partialStream() + OpenAiStream.create("deepseek-reasoner").content(" never").build();
        upstream.enqueue(MockResponse.sse(body).splitAt(partialStream().length()).stallAfter(1));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("q", "\"provider\":\"idler\""));
        assertEquals(200, r.statusCode());
        assertFailureReply(ChatWeb.message(r), "AIP-013", "The answer is", "Thinking it over.");
        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(15)));
    }
}
