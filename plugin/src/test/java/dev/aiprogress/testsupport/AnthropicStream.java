package dev.aiprogress.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an Anthropic Messages SSE body event by event, in the exact shape of
 * docs/PROVIDERS.md "Anthropic Messages"
 * (named events whose {@code data:} repeats the name in {@code type}; no {@code [DONE]}).
 *
 * <pre>{@code
 * String body = AnthropicStream.create("claude-sonnet")
 *         .messageStart(25)
 *         .thinkingStart(0).thinkingDelta(0, "Let me check").signatureDelta(0, "EqQB").blockStop(0)
 *         .textStart(1).textDelta(1, "Paris").blockStop(1)
 *         .ping()
 *         .messageDelta("end_turn", 91)
 *         .messageStop()
 *         .build();
 * }</pre>
 * {@link #event(String, String)} adds any raw event (new types, odd variants).
 */
public final class AnthropicStream {

    private final String model;
    private final List<String> events = new ArrayList<>();

    private AnthropicStream(String model) {
        this.model = model;
    }

    public static AnthropicStream create(String model) {
        return new AnthropicStream(model);
    }

    public AnthropicStream messageStart(long inputTokens) {
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[],\"model\":" + Json.quote(model) + ",\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + inputTokens + ",\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
    }

    public AnthropicStream thinkingStart(int index) {
        return blockStart(index, "{\"type\":\"thinking\",\"thinking\":\"\"}");
    }

    public AnthropicStream textStart(int index) {
        return blockStart(index, "{\"type\":\"text\",\"text\":\"\"}");
    }

    public AnthropicStream toolUseStart(int index, String id, String name) {
        return blockStart(index, "{\"type\":\"tool_use\",\"id\":" + Json.quote(id) + ",\"name\":" + Json.quote(name)
                + ",\"input\":{}}");
    }

    public AnthropicStream blockStart(int index, String contentBlockJson) {
        return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index
                + ",\"content_block\":" + contentBlockJson + "}");
    }

    public AnthropicStream thinkingDelta(int index, String text) {
        return blockDelta(index, "{\"type\":\"thinking_delta\",\"thinking\":" + Json.quote(text) + "}");
    }

    public AnthropicStream signatureDelta(int index, String signature) {
        return blockDelta(index, "{\"type\":\"signature_delta\",\"signature\":" + Json.quote(signature) + "}");
    }

    public AnthropicStream textDelta(int index, String text) {
        return blockDelta(index, "{\"type\":\"text_delta\",\"text\":" + Json.quote(text) + "}");
    }

    public AnthropicStream inputJsonDelta(int index, String partialJson) {
        return blockDelta(index, "{\"type\":\"input_json_delta\",\"partial_json\":" + Json.quote(partialJson) + "}");
    }

    public AnthropicStream blockDelta(int index, String deltaJson) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
                + ",\"delta\":" + deltaJson + "}");
    }

    public AnthropicStream blockStop(int index) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    /** The keep-alive event, spelled as the API sends it (with a space after the colon). */
    public AnthropicStream ping() {
        return event("ping", "{\"type\": \"ping\"}");
    }

    /** An SSE comment line. */
    public AnthropicStream comment(String text) {
        events.add(": " + text);
        return this;
    }

    public AnthropicStream messageDelta(String stopReason, long outputTokens) {
        return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":" + Json.quote(stopReason)
                + ",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
    }

    public AnthropicStream messageStop() {
        return event("message_stop", "{\"type\":\"message_stop\"}");
    }

    /** {@code event: error}, e.g. {@code ("overloaded_error", "Overloaded")}. */
    public AnthropicStream error(String type, String message) {
        return event("error", "{\"type\":\"error\",\"error\":{\"type\":" + Json.quote(type) + ",\"message\":"
                + Json.quote(message) + "}}");
    }

    /** Any event, verbatim. */
    public AnthropicStream event(String name, String data) {
        events.add("event: " + name + "\ndata: " + data);
        return this;
    }

    public String build() {
        StringBuilder out = new StringBuilder();
        for (String event : events) {
            out.append(event).append("\n\n");
        }
        return out.toString();
    }
}
