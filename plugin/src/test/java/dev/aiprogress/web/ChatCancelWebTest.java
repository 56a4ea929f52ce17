package dev.aiprogress.web;

import dev.aiprogress.web.http.HttpServices;


import dev.aiprogress.gateway.Generation;
import dev.aiprogress.gateway.GenerationResult;
import dev.aiprogress.gateway.GenerationState;
import dev.aiprogress.gateway.Tasks;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancellation through real HTTP: a client that goes away (SSE and JSON mode, the latter noticed
 * through the heartbeat) and the owner's cancel call both close the upstream connection; another
 * user's cancel is refused as if the task did not exist.
 */
class ChatCancelWebTest {

    static MockUpstream upstream;
    static EmbeddedJetty jetty;
    static HttpClient demo;
    static HttpClient alice;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.start();
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.providers", "deepseek")
                .initParam("ai-progress.provider.deepseek.dialect", "openai")
                .initParam("ai-progress.provider.deepseek.base-url", upstream.baseUrl().toString())
                .initParam("ai-progress.provider.deepseek.model", "deepseek-reasoner")
                .initParam("ai-progress.http.heartbeat", "100ms")
                .users(Map.of("demo", "demo", "alice", "pw"))
                .start();
        demo = jetty.newClient();
        assertEquals(200, jetty.login(demo, "demo", "demo").statusCode());
        alice = jetty.newClient();
        assertEquals(200, jetty.login(alice, "alice", "pw").statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        upstream.close();
    }

    /** Reasoning and the start of an answer, then nothing until the client leaves. */
    static void enqueueStalledAnswer() {
        enqueueStalledAnswer(upstream);
    }

    static void enqueueStalledAnswer(MockUpstream upstream) {
        String head = ChatFailureWebTest.partialStream();
        upstream.enqueue(MockResponse.sse(head + OpenAiStream.create("deepseek-reasoner").content(" never").build())
                .splitAt(head.length()).stallAfter(1));
    }

    static Generation generation(String taskId, String user) {
        return HttpServices.of(jetty.context().getServletContext()).gateway().tasks().find(taskId, user)
                .orElseThrow(() -> new AssertionError("no task " + taskId + " of " + user));
    }

    /** The user's task, once the gateway knows it. */
    static Generation awaitTask(EmbeddedJetty jetty, String taskId, String user) throws InterruptedException {
        HttpServices runtime = HttpServices.of(jetty.context().getServletContext());
        await("task " + taskId, () -> runtime.gateway().tasks().find(taskId, user).isPresent());
        return runtime.gateway().tasks().find(taskId, user).orElseThrow();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(Duration.ofSeconds(5), condition, "timed out waiting for " + what);
    }

    /** The task streamed its partial answer: thinking, reasoning, text. */
    static Generation awaitPartialAnswer(String taskId) throws InterruptedException {
        return awaitPartialAnswer(jetty, taskId);
    }

    /** Waits for the running task's partial answer and returns the task (still inspectable once it ended). */
    static Generation awaitPartialAnswer(EmbeddedJetty jetty, String taskId) throws InterruptedException {
        Tasks tasks = HttpServices.of(jetty.context().getServletContext()).gateway().tasks();
        await("task " + taskId + " to stream text", () -> tasks.find(taskId, "demo").map(g -> g.lastSeq() >= 3).orElse(false));
        return tasks.find(taskId, "demo").orElseThrow();
    }

    static void assertCancelledKeepingPartialText(Generation g) throws InterruptedException {
        await("task " + g.id() + " to end", () -> g.result().isPresent());
        GenerationResult result = g.result().orElseThrow();
        assertEquals(GenerationState.CANCELLED, result.state());
        assertEquals("AIP-017", result.failure().orElseThrow().code().code());
        assertEquals("The answer is", result.content());
        assertEquals("Thinking it over.", result.reasoning());
    }

    static HttpRequest chatRequest(String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(jetty.uri(ChatWeb.CHAT)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    @Test
    void sseClientDisconnects_midStream_closesTheUpstreamConnection() throws Exception {
        enqueueStalledAnswer();
        HttpResponse<InputStream> r = demo.send(chatRequest(ChatWeb.userMessage("q", "\"task_id\":\"gone-sse\""),
                "Accept", "text/event-stream"), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        // the events arrive while the upstream is still streaming: each one is flushed as it happens
        String line;
        while ((line = lines.readLine()) != null && !line.startsWith("data: {\"type\":\"text\"")) {
            assertFalse(line.startsWith("event: reply"), "the reply came before the partial text");
        }
        assertEquals("data: {\"type\":\"text\",\"text\":\"The answer is\",\"partial\":true,\"task_id\":\"gone-sse\",\"seq\":3,",
                line.substring(0, line.indexOf("\"timestamp\"")));
        Generation task = generation("gone-sse", "demo");
        // the upstream is silent now: SSE comments keep the line alive (and probe the client)
        while ((line = lines.readLine()) != null && !line.equals(": keep-alive")) {
            assertTrue(line.isEmpty(), line);
        }
        assertEquals(": keep-alive", line);
        r.body().close();

        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(5)));
        assertCancelledKeepingPartialText(task);
    }

    @Test
    void jsonClientDisconnects_midStream_isNoticedByTheHeartbeatAndClosesTheUpstream() throws Exception {
        enqueueStalledAnswer();
        CompletableFuture<HttpResponse<InputStream>> pending = demo.sendAsync(
                chatRequest(ChatWeb.userMessage("q", "\"task_id\":\"gone-json\"")), HttpResponse.BodyHandlers.ofInputStream());
        Generation task = awaitPartialAnswer("gone-json");
        // the headers come with the first heartbeat space
        HttpResponse<InputStream> r = pending.get();
        assertEquals(200, r.statusCode());
        assertEquals(' ', r.body().read());
        r.body().close();

        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(5)));
        assertCancelledKeepingPartialText(task);
    }

    @Test
    void cancel_byTheOwner_closesTheUpstreamAndTheReplyKeepsThePartialText() throws Exception {
        enqueueStalledAnswer();
        CompletableFuture<HttpResponse<String>> chat = ChatWeb.chatAsync(jetty, demo,
                ChatWeb.userMessage("q", "\"task_id\":\"own-1\""));
        awaitPartialAnswer("own-1");

        HttpResponse<String> cancel = jetty.postJson(demo, ChatWeb.CANCEL, "{\"task_id\":\"own-1\"}");
        assertEquals(200, cancel.statusCode());
        assertEquals("{\"message\":{\"success\":true,\"task_id\":\"own-1\",\"status\":\"cancelled\"}}", cancel.body());
        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(5)));

        HttpResponse<String> r = chat.get();
        assertEquals(200, r.statusCode());
        JsonObject m = ChatWeb.message(r);
        ChatFailureWebTest.assertFailureReply(m, "AIP-017", "The answer is", "Thinking it over.");
        assertEquals("The task was cancelled.", m.getString("error"));
        assertEquals("own-1", m.getString("task_id"));
    }

    @Test
    void cancel_formEncoded_works() throws Exception {
        enqueueStalledAnswer();
        CompletableFuture<HttpResponse<String>> chat = ChatWeb.chatAsync(jetty, demo,
                ChatWeb.userMessage("q", "\"task_id\":\"own-form\""));
        awaitPartialAnswer("own-form");
        assertEquals(200, jetty.postForm(demo, ChatWeb.CANCEL, "task_id=own-form").statusCode());
        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(5)));
        assertEquals("AIP-017", ChatWeb.message(chat.get()).getString("code"));
    }

    @Test
    void cancel_byAnotherUser_is404AndTheTaskKeepsRunning() throws Exception {
        enqueueStalledAnswer();
        CompletableFuture<HttpResponse<String>> chat = ChatWeb.chatAsync(jetty, demo,
                ChatWeb.userMessage("q", "\"task_id\":\"demo-only\""));
        awaitPartialAnswer("demo-only");

        HttpResponse<String> foreign = jetty.postJson(alice, ChatWeb.CANCEL, "{\"task_id\":\"demo-only\"}");
        assertEquals(404, foreign.statusCode());
        assertEquals(ChatValidationWebTest.frappe("DoesNotExistError", "no running task 'demo-only'"), foreign.body());
        assertEquals(GenerationState.RUNNING, generation("demo-only", "demo").state());
        assertFalse(chat.isDone());
        assertEquals(Optional.empty(), HttpServices.of(jetty.context().getServletContext()).gateway().tasks()
                .find("demo-only", "alice"));

        assertEquals(200, jetty.postJson(demo, ChatWeb.CANCEL, "{\"task_id\":\"demo-only\"}").statusCode());
        assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(5)));
        assertEquals("AIP-017", ChatWeb.message(chat.get()).getString("code"));
    }

    @Test
    void cancel_finishedTask_is409() throws Exception {
        upstream.enqueue(MockResponse.sse(ChatReplyWebTest.deepSeekStream()));
        HttpResponse<String> chat = jetty.postJson(demo, ChatWeb.CHAT, ChatWeb.userMessage("q", "\"task_id\":\"done-1\""));
        assertTrue(ChatWeb.message(chat).getBoolean("success"), chat.body());
        HttpResponse<String> r = jetty.postJson(demo, ChatWeb.CANCEL, "{\"task_id\":\"done-1\"}");
        assertEquals(409, r.statusCode());
        assertEquals(ChatValidationWebTest.frappe("ValidationError", "task 'done-1' has already finished"), r.body());
    }

    @Test
    void cancel_withoutTaskId_is400() throws Exception {
        HttpResponse<String> r = jetty.postJson(demo, ChatWeb.CANCEL, "{}");
        assertEquals(400, r.statusCode());
        assertEquals(ChatValidationWebTest.frappe("ValidationError", "task_id is required"), r.body());
    }

    @Test
    void cancel_notLoggedIn_is401() throws Exception {
        HttpResponse<String> r = jetty.postJson(jetty.newClient(), ChatWeb.CANCEL, "{\"task_id\":\"x\"}");
        assertEquals(401, r.statusCode());
    }
}
