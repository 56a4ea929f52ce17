package dev.aiprogress.web;

import dev.aiprogress.testsupport.EmbeddedJetty;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Helpers for the chat endpoint tests: paths, JSON reading, SSE parsing. */
final class ChatWeb {

    static final String CHAT = "/api/method/ai_assistant.api.chat_completion";
    static final String CANCEL = "/api/method/ai_assistant.api.cancel";
    static final String TEST_STREAM = "/api/method/ai_assistant.api.test_reasoning_stream";
    static final String AGENT = "/api/method/oropendola_ai.oropendola_ai.api.vscode_extension.agent";
    static final String PROVIDERS = "/ai-progress/providers";

    private ChatWeb() {
    }

    /** One SSE event as it came over the wire. */
    record SseEvent(String id, String event, String data) {
        JsonObject json() {
            return ChatWeb.json(data);
        }
    }

    static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /** {@code body.message} of a Frappe reply. */
    static JsonObject message(HttpResponse<String> response) {
        return json(response.body()).getJsonObject("message");
    }

    /** Parses a whole SSE body; comment lines ({@code : keep-alive}) are skipped. */
    static List<SseEvent> sse(String body) {
        List<SseEvent> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith(":") || line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> throw new AssertionError("unexpected SSE field '" + field + "' in " + block);
                }
            }
            if (event != null || data != null) {
                events.add(new SseEvent(id, event, data == null ? null : data.toString()));
            }
        }
        return events;
    }

    /** A chat POST sent without waiting: for tests that act while the generation runs. */
    static CompletableFuture<HttpResponse<String>> chatAsync(EmbeddedJetty jetty, HttpClient client, String json,
                                                           String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(jetty.uri(CHAT)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON body {@code {"messages":[{"role":"user","content":<text>}]<extra>}}. */
    static String userMessage(String text, String extraFields) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":" + dev.aiprogress.testsupport.Json.quote(text) + "}]"
                + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    }
}
