package dev.aiprogress.web.ops;

import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.EmbeddedJetty;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers for the operators' endpoint tests: chat calls, Prometheus text parsing, waiting. */
final class Ops {

    static final String CHAT = "/api/method/ai_assistant.api.chat_completion";

    private Ops() {
    }

    static String userMessage(String text, String extraFields) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":" + dev.aiprogress.testsupport.Json.quote(text) + "}]"
                + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    }

    static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /** Posts a chat and returns {@code body.message}. */
    static JsonObject chat(EmbeddedJetty jetty, HttpClient client, String json) throws Exception {
        HttpResponse<String> r = jetty.postJson(client, CHAT, json);
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body()).getJsonObject("message");
    }

    /** {@code name{labels}} → value of every sample in a Prometheus text body. */
    static Map<String, Double> samples(String body) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    /** Container credentials on each request: a Basic login gives {@code request.isUserInRole} its roles. */
    static String[] basic(String user, String password) {
        return new String[] {"Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8))};
    }

    static Map<String, Double> scrape(EmbeddedJetty jetty, HttpClient client) throws Exception {
        HttpResponse<String> r = jetty.get(client, "/ai-progress/metrics", basic("demo", "demo"));
        assertEquals(200, r.statusCode(), r.body());
        return samples(r.body());
    }

    static long value(Map<String, Double> samples, String key) {
        return Math.round(samples.getOrDefault(key, 0.0));
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(Duration.ofSeconds(10), condition, "timed out waiting for " + what);
    }
}
