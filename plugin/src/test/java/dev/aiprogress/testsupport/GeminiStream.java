package dev.aiprogress.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a Gemini {@code streamGenerateContent?alt=sse} body chunk by chunk, in the exact shape of
 * docs/PROVIDERS.md "Gemini": one {@code data:} GenerateContentResponse per event, no end marker. Like the
 * real API, every chunk after {@link #usage} repeats the (cumulative) {@code usageMetadata}.
 *
 * <pre>{@code
 * String body = GeminiStream.create("gemini-2.5-flash")
 *         .usage(5, 0, 185).thought("**Planning**")
 *         .text("Hello!")
 *         .usage(5, 44, 186).functionCall("get_weather", "{\"city\":\"Paris\"}", "CiQB", "STOP")
 *         .build();
 * }</pre>
 */
public final class GeminiStream {

    private final String model;
    private final List<String> events = new ArrayList<>();
    private String usage;

    private GeminiStream(String model) {
        this.model = model;
    }

    public static GeminiStream create(String model) {
        return new GeminiStream(model);
    }

    /** The cumulative counts the following chunks carry. */
    public GeminiStream usage(long prompt, long candidates, long thoughts) {
        usage = "{\"promptTokenCount\":" + prompt + ",\"candidatesTokenCount\":" + candidates + ",\"totalTokenCount\":"
                + (prompt + candidates + thoughts) + ",\"thoughtsTokenCount\":" + thoughts + "}";
        return this;
    }

    public GeminiStream thought(String text) {
        return candidate("{\"text\":" + Json.quote(text) + ",\"thought\":true}", null);
    }

    public GeminiStream text(String text) {
        return candidate("{\"text\":" + Json.quote(text) + "}", null);
    }

    /** A whole function call part with its {@code thoughtSignature}, ending the turn with {@code finishReason}. */
    public GeminiStream functionCall(String name, String argsJson, String thoughtSignature, String finishReason) {
        return candidate("{\"functionCall\":{\"name\":" + Json.quote(name) + ",\"args\":" + argsJson
                + "},\"thoughtSignature\":" + Json.quote(thoughtSignature) + "}", finishReason);
    }

    /** The last text of the answer, with its {@code finishReason}. */
    public GeminiStream finish(String text, String finishReason) {
        return candidate("{\"text\":" + Json.quote(text) + "}", finishReason);
    }

    /** A chunk with one candidate holding this part; {@code finishReason} may be null. */
    public GeminiStream candidate(String partJson, String finishReason) {
        return data("{\"candidates\":[{\"content\":{\"parts\":[" + partJson + "],\"role\":\"model\"}"
                + (finishReason == null ? "" : ",\"finishReason\":" + Json.quote(finishReason)) + ",\"index\":0}]"
                + (usage == null ? "" : ",\"usageMetadata\":" + usage)
                + ",\"modelVersion\":" + Json.quote(model) + ",\"responseId\":\"r1\"}");
    }

    /** The Google error object inside a 200 stream. */
    public GeminiStream error(int code, String message, String status) {
        return data("{\"error\":{\"code\":" + code + ",\"message\":" + Json.quote(message) + ",\"status\":"
                + Json.quote(status) + "}}");
    }

    public GeminiStream comment(String text) {
        events.add(": " + text);
        return this;
    }

    /** Any {@code data:} payload, verbatim. */
    public GeminiStream data(String payload) {
        events.add("data: " + payload);
        return this;
    }

    public String build() {
        StringBuilder out = new StringBuilder();
        for (String event : events) {
            out.append(event).append("\r\n\r\n");
        }
        return out.toString();
    }
}
