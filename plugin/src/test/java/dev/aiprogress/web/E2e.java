package dev.aiprogress.web;

import dev.aiprogress.realtime.jakarta.WsClient;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared parts of the end-to-end tests: the server set-up, the upstream streams, and the checks on a task's events. */
final class E2e {

    static final Map<String, String> USERS = Map.of("alice", "pw-alice", "bob", "pw-bob", "carol", "pw-carol",
            "dave", "pw-dave", "erin", "pw-erin", "mallory", "pw-mallory");

    private E2e() {
    }

    /** The plugin with a DeepSeek-like provider on {@code upstream} (first) and the scripted one (pacing 0). */
    static EmbeddedJetty.Builder server(MockUpstream upstream, Map<String, String> extraParams) {
        EmbeddedJetty.Builder b = EmbeddedJetty.builder().users(USERS)
                .initParam("ai-progress.providers", "deepseek,scripted")
                .initParam("ai-progress.provider.deepseek.dialect", "openai")
                .initParam("ai-progress.provider.deepseek.base-url", upstream.baseUrl().toString())
                .initParam("ai-progress.provider.deepseek.api-key", "sk-test")
                .initParam("ai-progress.provider.deepseek.model", "deepseek-reasoner")
                .initParam("ai-progress.provider.scripted.pacing", "0");
        new LinkedHashMap<>(extraParams).forEach(b::initParam);
        return b;
    }

    /** The script's options for a user of {@link #USERS}, plus {@code more}. */
    static List<String> args(EmbeddedJetty jetty, String user, String... more) {
        List<String> args = new ArrayList<>(List.of("--base-url", jetty.baseUri().toString(), "--user", user,
                "--password", USERS.get(user)));
        args.addAll(List.of(more));
        return args;
    }

    static String reasoningPiece(String word, int i) {
        return "Thinking about " + word + ", step " + i + ". ";
    }

    static String contentPiece(String word, int i) {
        return word + " answer part " + i + " \"ünï\" 🎉; ";
    }

    static String reasoningOf(String word, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(reasoningPiece(word, i));
        }
        return sb.toString();
    }

    static String contentOf(String word, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(contentPiece(word, i));
        }
        return sb.toString();
    }

    /** DeepSeek's reasoner stream (docs/PROVIDERS.md "DeepSeek"): n reasoning_content chunks, n content chunks, usage on the finish. */
    static String deepSeekStream(String word, int n) {
        OpenAiStream s = OpenAiStream.create("deepseek-reasoner").role();
        for (int i = 0; i < n; i++) {
            s.reasoning(reasoningPiece(word, i));
        }
        for (int i = 0; i < n; i++) {
            s.content(contentPiece(word, i));
        }
        return s.finishWithUsage("stop", 20, 60, 30).done().build();
    }

    static HttpRequest chatRequest(EmbeddedJetty jetty, String taskId) {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"conversation_id\":\"conv-java\","
                + "\"mode\":\"chat\",\"task_id\":\"" + taskId + "\"}";
        return HttpRequest.newBuilder(jetty.uri("/api/method/ai_assistant.api.chat_completion"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    /** The {@code Cookie} header value the client would send (its session cookie). */
    /** A client of its own, logged in as {@code user} (password from {@link #USERS}). */
    static HttpClient loggedIn(EmbeddedJetty jetty, String user) throws Exception {
        HttpClient client = jetty.newClient();
        assertEquals(200, jetty.login(client, user, USERS.get(user)).statusCode());
        return client;
    }

    static String sessionCookie(EmbeddedJetty jetty, HttpClient client) {
        CookieManager cookies = (CookieManager) client.cookieHandler().orElseThrow();
        return cookies.getCookieStore().getCookies().stream().map(HttpCookie::toString)
                .collect(Collectors.joining("; "));
    }

    static JsonObject parse(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }

    /** {@code message} of an HTTP reply, after checking its status. */
    static JsonObject messageOf(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body()).getJsonObject("message");
    }

    /** {@code message} of the reply the script received. */
    static JsonObject replyMessage(JsonObject result) {
        JsonObject reply = result.getJsonObject("reply");
        assertEquals(200, reply.getInt("status"), reply.toString());
        return reply.getJsonObject("body").getJsonObject("message");
    }

    static List<JsonObject> events(JsonObject result, int socket) {
        JsonArray events = result.getJsonArray("sockets").getJsonObject(socket).getJsonArray("events");
        return events.getValuesAs(JsonObject.class);
    }

    /**
     * One task as the client saw it: {@code thinking} first with seq 1, seq strictly increasing,
     * every event of {@code taskId}, reasoning and text deltas concatenating exactly to the reply,
     * then {@code completion} (same texts), then {@code complete} last.
     */
    static void assertStreamRebuildsReply(List<JsonObject> events, JsonObject message, String taskId) {
        assertTrue(events.size() >= 4, "too few events: " + events);
        assertEquals("thinking", events.get(0).getString("type"));
        assertEquals(1L, events.get(0).getJsonNumber("seq").longValue());
        long lastSeq = 0;
        StringBuilder reasoning = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (JsonObject e : events) {
            assertEquals(taskId, e.getString("task_id"), e.toString());
            long seq = e.getJsonNumber("seq").longValue();
            assertTrue(seq > lastSeq, "seq " + seq + " after " + lastSeq);
            lastSeq = seq;
            String type = e.getString("type");
            if (type.equals("reasoning") || type.equals("text")) {
                assertTrue(e.getBoolean("partial"), e.toString());
                (type.equals("reasoning") ? reasoning : text).append(e.getString("text"));
            }
        }
        JsonObject completion = events.get(events.size() - 2);
        JsonObject complete = events.get(events.size() - 1);
        assertEquals("completion", completion.getString("type"));
        assertFalse(completion.getBoolean("partial"));
        assertEquals("complete", complete.getString("type"));
        assertEquals("Task finished successfully", complete.getString("message"));
        for (JsonObject e : events.subList(1, events.size() - 2)) {
            assertTrue(List.of("reasoning", "text").contains(e.getString("type")), e.toString());
        }
        assertEquals(message.getString("reasoning"), reasoning.toString());
        assertEquals(message.getString("content"), text.toString());
        assertEquals(message.getString("content"), completion.getString("text"));
        assertEquals(message.getString("reasoning"), completion.getString("reasoning"));
        assertEquals(taskId, message.getString("task_id"));
    }

    /** A plain JSON socket ({@code /ai-progress/ws}) with this cookie. */
    static WsClient plainSocket(EmbeddedJetty jetty, String cookie) throws Exception {
        return new WsClient("ws://127.0.0.1:" + jetty.baseUri().getPort() + "/ai-progress/ws", Map.of("Cookie", cookie));
    }
}
