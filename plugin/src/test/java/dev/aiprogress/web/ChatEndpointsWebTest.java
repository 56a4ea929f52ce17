package dev.aiprogress.web;

import dev.aiprogress.web.http.HttpServices;

import dev.aiprogress.auth.FileTokenVerifier;

import dev.aiprogress.gateway.GenerationState;
import dev.aiprogress.gateway.Tasks;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The other chat endpoints through real HTTP: test_reasoning_stream, the agent path, the provider list. */
class ChatEndpointsWebTest {

    @TempDir
    static Path dir;
    static MockUpstream upstream;
    static EmbeddedJetty jetty;
    static HttpClient demo;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.start();
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, FileTokenVerifier.hashLine("bot", "s3cret", 1000) + "\n");
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.providers", "deepseek,scripted")
                .initParam("ai-progress.provider.deepseek.dialect", "openai")
                .initParam("ai-progress.provider.deepseek.base-url", upstream.baseUrl().toString())
                .initParam("ai-progress.provider.deepseek.api-key", "sk-never-shown")
                .initParam("ai-progress.provider.deepseek.model", "deepseek-reasoner")
                .initParam("ai-progress.provider.deepseek.models", "deepseek-reasoner,deepseek-chat")
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .initParam("ai-progress.auth.tokens-file", tokens.toString())
                .initParam("ai-progress.test-stream.step", "10ms")
                .start();
        demo = jetty.newClient();
        assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        upstream.close();
    }

    @Test
    void testReasoningStream_repliesAtOnceThenStreamsFiveStepsAndACompletion() throws Exception {
        // the user's socket sees every event as it goes out
        JdkSocket socket = JdkSocket.open(jetty.baseUri().getPort(), "/ai-progress/ws",
                Map.of("Cookie", E2e.sessionCookie(jetty, demo)));
        HttpResponse<String> r = jetty.post(demo, ChatWeb.TEST_STREAM, "application/json", "");
        assertEquals(200, r.statusCode(), r.body());
        String taskId = ChatWeb.message(r).getString("task_id");
        assertEquals("{\"message\":{\"success\":true,\"task_id\":\"" + taskId + "\"}}", r.body());

        List<JsonObject> events = new ArrayList<>();
        do {
            JsonObject frame = E2e.parse(socket.next());
            assertEquals("ai_progress", frame.getString("event"));
            events.add(frame.getJsonObject("data"));
        } while (!events.get(events.size() - 1).getString("type").equals("complete"));
        socket.close();

        assertEquals(List.of("thinking", "reasoning", "reasoning", "reasoning", "reasoning", "reasoning", "text",
                "completion", "complete"), events.stream().map(e -> e.getString("type")).toList());
        assertTrue(events.stream().allMatch(e -> e.getString("task_id").equals(taskId)));
        assertEquals("Reasoning step 3 of 5. ", events.get(3).getString("text"));
        JsonObject completion = events.get(7);
        assertEquals("Test reasoning stream finished.", completion.getString("text"));
        assertEquals("Reasoning step 1 of 5. Reasoning step 2 of 5. Reasoning step 3 of 5. Reasoning step 4 of 5. "
                + "Reasoning step 5 of 5. ", completion.getString("reasoning"));
    }

    @Test
    void testReasoningStream_notLoggedIn_is401() throws Exception {
        assertEquals(401, jetty.post(jetty.newClient(), ChatWeb.TEST_STREAM, "application/json", "").statusCode());
    }

    @Test
    void agent_withSessionCookie_repliesWithStatus200AndTheContent() throws Exception {
        upstream.enqueue(MockResponse.sse(ChatReplyWebTest.deepSeekStream()));
        HttpResponse<String> r = jetty.postJson(demo, ChatWeb.AGENT,
                "{\"prompt\":\"Which is larger?\",\"conversation_id\":\"agent-conv\",\"context\":{\"file\":\"a.py\"}}");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject m = ChatWeb.message(r);
        assertEquals(List.of("status", "success", "content", "reasoning", "model", "conversation_id", "task_id"),
                List.copyOf(m.keySet()));
        assertEquals(200, m.getInt("status"));
        assertEquals(ChatReplyWebTest.ANSWER, m.getString("content"));
        assertEquals(ChatReplyWebTest.REASONING, m.getString("reasoning"));
        assertEquals("deepseek-reasoner", m.getString("model"));
        assertEquals("agent-conv", m.getString("conversation_id"));
        String sent = upstream.takeRequest(Duration.ofSeconds(5)).body();
        assertTrue(sent.contains("\"messages\":[{\"role\":\"system\",\"content\":\"Context:\\n{\\\"file\\\":\\\"a.py\\\"}\"},"
                + "{\"role\":\"user\",\"content\":\"Which is larger?\"}]"), sent);
    }

    @Test
    void agent_withApiKeyInTheBody_runsAsTheTokenUser() throws Exception {
        HttpResponse<String> r = jetty.postJson(jetty.newClient(), ChatWeb.AGENT,
                "{\"prompt\":\"hello\",\"conversation_id\":\"k1\",\"api_key\":\"bot:s3cret\",\"provider\":\"scripted\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject m = ChatWeb.message(r);
        assertEquals(200, m.getInt("status"));
        assertEquals("scripted-reasoner", m.getString("model"));
        assertEquals("k1", m.getString("conversation_id"));
        // the task belongs to the token's user
        Tasks tasks = HttpServices.of(jetty.context().getServletContext()).gateway().tasks();
        assertEquals(Optional.of(GenerationState.COMPLETED), tasks.finishedState(m.getString("task_id"), "bot"));
        assertEquals(Optional.empty(), tasks.finishedState(m.getString("task_id"), "demo"));
    }

    @Test
    void agent_wrongApiKey_is401() throws Exception {
        HttpResponse<String> r = jetty.postJson(jetty.newClient(), ChatWeb.AGENT,
                "{\"prompt\":\"hello\",\"api_key\":\"bot:wrong\"}");
        assertEquals(401, r.statusCode());
        assertEquals(ChatValidationWebTest.frappe("AuthenticationError", "Invalid API token"), r.body());
    }

    @Test
    void agent_noPrompt_is400() throws Exception {
        HttpResponse<String> r = jetty.postJson(demo, ChatWeb.AGENT, "{\"conversation_id\":\"x\"}");
        assertEquals(400, r.statusCode());
        assertEquals(ChatValidationWebTest.frappe("ValidationError", "prompt is required"), r.body());
    }

    @Test
    void providers_listsNamesDialectsAndModelsWithoutSecrets() throws Exception {
        HttpResponse<String> r = jetty.get(jetty.newClient(), ChatWeb.PROVIDERS);
        assertEquals(200, r.statusCode());
        assertEquals("{\"message\":{\"providers\":["
                + "{\"name\":\"deepseek\",\"dialect\":\"openai\",\"default_model\":\"deepseek-reasoner\",\"models\":[\"deepseek-reasoner\",\"deepseek-chat\"]},"
                + "{\"name\":\"scripted\",\"dialect\":\"scripted\",\"default_model\":\"scripted-reasoner\",\"models\":[]}]}}", r.body());
    }
}
