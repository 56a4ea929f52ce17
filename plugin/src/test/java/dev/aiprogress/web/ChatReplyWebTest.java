package dev.aiprogress.web;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import dev.aiprogress.testsupport.RecordedRequest;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat endpoint's reply shape through real HTTP: Jetty + the plugin's SCI + a loopback DeepSeek. */
class ChatReplyWebTest {

    static final String REASONING = "Okay, compare 9.11 and 9.9: 9.90 > 9.11.";
    static final String ANSWER = "9.9 is larger than 9.11.";

    static MockUpstream upstream;
    static EmbeddedJetty jetty;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.start();
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.providers", "deepseek,scripted")
                .initParam("ai-progress.provider.deepseek.dialect", "openai")
                .initParam("ai-progress.provider.deepseek.base-url", upstream.baseUrl().toString())
                .initParam("ai-progress.provider.deepseek.api-key", "sk-test-secret")
                .initParam("ai-progress.provider.deepseek.model", "deepseek-reasoner")
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .start();
        client = jetty.newClient();
        assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        upstream.close();
    }

    static String deepSeekStream() {
        return OpenAiStream.create("deepseek-reasoner").role()
                .reasoning("Okay, compare 9.11 and 9.9: ").reasoning("9.90 > 9.11.")
                .content("9.9 is larger ").content("than 9.11.")
                .finish("stop").usage(20, 9, 4).done().build();
    }

    @Test
    void chat_jsonBody_repliesWithTheFullMessage() throws Exception {
        upstream.enqueue(MockResponse.sse(deepSeekStream()).splitEvery(7));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT,
                ChatWeb.userMessage("Which is larger, 9.11 or 9.9?", "\"conversation_id\":\"conv-1\",\"provider\":\"deepseek\""));

        assertEquals(200, r.statusCode(), r.body());
        // Jetty leaves the charset off application/json, whose encoding is UTF-8 by definition
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonObject m = ChatWeb.message(r);
        assertEquals(List.of("success", "role", "content", "response", "reasoning", "usage", "provider", "model",
                "conversation_id", "task_id", "finish_reason", "duration_ms", "reasoning_ms"), List.copyOf(m.keySet()));
        assertTrue(m.getBoolean("success"));
        assertEquals("assistant", m.getString("role"));
        assertEquals(ANSWER, m.getString("content"));
        assertEquals(ANSWER, m.getString("response"));
        assertEquals(REASONING, m.getString("reasoning"));
        assertEquals("{\"input_tokens\":20,\"output_tokens\":9,\"total_tokens\":29,\"reasoning_tokens\":4}",
                m.getJsonObject("usage").toString());
        assertEquals("deepseek", m.getString("provider"));
        assertEquals("deepseek-reasoner", m.getString("model"));
        assertEquals("conv-1", m.getString("conversation_id"));
        assertTrue(m.getString("task_id").matches("[A-Za-z0-9_-]{16}"), m.getString("task_id"));
        assertEquals("stop", m.getString("finish_reason"));
        assertTrue(m.getJsonNumber("duration_ms").longValue() >= 0);

        RecordedRequest sent = upstream.takeRequest(Duration.ofSeconds(5));
        assertEquals("POST /chat/completions", sent.method() + " " + sent.target());
        assertEquals("Bearer sk-test-secret", sent.header("Authorization").orElseThrow());
        assertTrue(sent.body().contains("\"content\":\"Which is larger, 9.11 or 9.9?\""), sent.body());
    }

    @Test
    void chat_noConversationId_generatesOne() throws Exception {
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("hi", "\"provider\":\"scripted\""));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject m = ChatWeb.message(r);
        assertTrue(m.getString("conversation_id").matches("[0-9a-f-]{36}"), m.getString("conversation_id"));
        assertEquals("scripted", m.getString("provider"));
        assertEquals("scripted-reasoner", m.getString("model"));
        assertTrue(m.getBoolean("success"));
        assertFalse(m.getString("content").isEmpty());
    }

    @Test
    void chat_shortForm_isOneUserMessage() throws Exception {
        upstream.enqueue(MockResponse.sse(deepSeekStream()));
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT,
                "{\"message\":\"short form question\",\"conversation_id\":\"c2\",\"mode\":\"chat\",\"provider\":\"deepseek\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(ANSWER, ChatWeb.message(r).getString("content"));
        assertEquals("c2", ChatWeb.message(r).getString("conversation_id"));
        String sent = upstream.takeRequest(Duration.ofSeconds(5)).body();
        assertTrue(sent.contains("\"messages\":[{\"role\":\"user\",\"content\":\"short form question\"}]"), sent);
    }

    @Test
    void chat_formEncoded_readsMessagesAsJsonString() throws Exception {
        upstream.enqueue(MockResponse.sse(deepSeekStream()));
        String messages = "[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"form question\"}]";
        HttpResponse<String> r = jetty.postForm(client, ChatWeb.CHAT, "messages=" + URLEncoder.encode(messages, StandardCharsets.UTF_8)
                + "&conversation_id=c3&provider=deepseek&temperature=0.5");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject m = ChatWeb.message(r);
        assertEquals(ANSWER, m.getString("content"));
        assertEquals("c3", m.getString("conversation_id"));
        String sent = upstream.takeRequest(Duration.ofSeconds(5)).body();
        assertTrue(sent.contains("{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"form question\"}"), sent);
        assertTrue(sent.contains("\"temperature\":0.5"), sent);
    }

    @Test
    void chat_toolCallStream_repliesWithOpenAiToolCalls() throws Exception {
        upstream.enqueue(MockResponse.sse(OpenAiStream.create("deepseek-reasoner").role()
                .reasoning("Need the weather.")
                .toolCallStart(0, "call_1", "get_weather")
                .toolCallArguments(0, "{\"city\":\"Pa")
                .toolCallArguments(0, "ris\"}")
                .finish("tool_calls").usage(30, 12, 3).done().build()).splitEvery(11));
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}],\"provider\":\"deepseek\"";
        HttpResponse<String> r = jetty.postJson(client, ChatWeb.CHAT, ChatWeb.userMessage("Weather in Paris?", tools));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject m = ChatWeb.message(r);
        assertTrue(m.getBoolean("success"));
        assertEquals("", m.getString("content"));
        assertEquals("Need the weather.", m.getString("reasoning"));
        assertEquals("tool_calls", m.getString("finish_reason"));
        assertEquals("[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]",
                m.getJsonArray("tool_calls").toString());
        String sent = upstream.takeRequest(Duration.ofSeconds(5)).body();
        assertTrue(sent.contains("\"name\":\"get_weather\""), sent);
    }
}
