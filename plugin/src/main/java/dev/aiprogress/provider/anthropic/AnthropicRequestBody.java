package dev.aiprogress.provider.anthropic;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.ToolSpec;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the Messages API body. Choices the API forces on us:
 * <ul>
 * <li>{@code max_tokens} is required: the request's, else {@value #DEFAULT_MAX_TOKENS}.</li>
 * <li>With reasoning: {@code thinking: {"type":"enabled","budget_tokens":N}} with
 *     N = max(1024, max_tokens / 2); when max_tokens does not exceed N it is raised to N + 1024.
 *     {@code temperature} is then left out (the API rejects it with thinking).</li>
 * <li>SYSTEM messages become the top-level {@code system} string (joined by a blank line).</li>
 * <li>Consecutive TOOL messages become one user message of {@code tool_result} blocks; messages
 *     with no content at all (empty text, no images, no tool calls) are left out.</li>
 * <li>A {@code providerState} from an earlier reply (a JSON array of {@code thinking} blocks with
 *     signatures and {@code redacted_thinking} blocks) is put back, unchanged, at the start of the
 *     last assistant message, when reasoning is on; other shapes are ignored.</li>
 * </ul>
 */
final class AnthropicRequestBody {

    static final int DEFAULT_MAX_TOKENS = 8192;
    static final int MIN_THINKING_BUDGET = 1024;

    private AnthropicRequestBody() {
    }

    static JsonObject build(ChatRequest request, JsonProvider json) {
        int maxTokens = request.maxTokens().orElse(DEFAULT_MAX_TOKENS);
        int budget = Math.max(MIN_THINKING_BUDGET, maxTokens / 2);
        if (request.reasoning() && maxTokens <= budget) {
            maxTokens = budget + MIN_THINKING_BUDGET;
        }
        JsonObjectBuilder body = json.createObjectBuilder()
                .add("model", request.model())
                .add("max_tokens", maxTokens);
        String system = DialectSupport.systemText(request.messages());
        if (!system.isEmpty()) {
            body.add("system", system);
        }
        body.add("messages", messages(request, json)).add("stream", true);
        if (request.reasoning()) {
            body.add("thinking", json.createObjectBuilder().add("type", "enabled").add("budget_tokens", budget));
        } else if (request.temperature().isPresent()) {
            body.add("temperature", request.temperature().getAsDouble());
        }
        if (!request.tools().isEmpty()) {
            JsonArrayBuilder tools = json.createArrayBuilder();
            for (ToolSpec tool : request.tools()) {
                tools.add(json.createObjectBuilder()
                        .add("name", tool.name())
                        .add("description", tool.description())
                        .add("input_schema", DialectSupport.requireObject(json, tool.parametersJson(),
                                "tool " + tool.name() + ": parameters")));
            }
            body.add("tools", tools);
        }
        return body.build();
    }

    private static JsonArray messages(ChatRequest request, JsonProvider json) {
        List<JsonObjectBuilder> out = new ArrayList<>();
        JsonArrayBuilder pendingResults = null;
        int lastAssistant = -1;
        JsonArray lastAssistantBlocks = JsonValue.EMPTY_JSON_ARRAY;
        for (ChatMessage m : request.messages()) {
            if (m.role() == ChatMessage.Role.TOOL) {
                if (pendingResults == null) {
                    pendingResults = json.createArrayBuilder();
                }
                pendingResults.add(json.createObjectBuilder()
                        .add("type", "tool_result")
                        .add("tool_use_id", m.toolCallId().orElse(""))
                        .add("content", m.text()));
                continue;
            }
            if (pendingResults != null) {
                out.add(json.createObjectBuilder().add("role", "user").add("content", pendingResults));
                pendingResults = null;
            }
            JsonArray blocks = blocks(m, json);
            if (m.role() == ChatMessage.Role.SYSTEM || blocks.isEmpty()) {
                continue; // SYSTEM is the top-level field; the API refuses messages without content
            }
            if (m.role() == ChatMessage.Role.ASSISTANT) {
                lastAssistant = out.size();
                lastAssistantBlocks = blocks;
            }
            out.add(json.createObjectBuilder().add("role", m.role() == ChatMessage.Role.ASSISTANT ? "assistant" : "user")
                    .add("content", blocks));
        }
        if (pendingResults != null) {
            out.add(json.createObjectBuilder().add("role", "user").add("content", pendingResults));
        }
        if (lastAssistant >= 0 && request.reasoning()) {
            Optional<JsonArray> state = request.providerState().flatMap(s -> thinkingBlocks(s, json));
            if (state.isPresent()) {
                JsonArrayBuilder content = json.createArrayBuilder();
                state.get().forEach(content::add);
                lastAssistantBlocks.forEach(content::add);
                out.set(lastAssistant, json.createObjectBuilder().add("role", "assistant").add("content", content));
            }
        }
        JsonArrayBuilder messages = json.createArrayBuilder();
        out.forEach(messages::add);
        return messages.build();
    }

    private static JsonArray blocks(ChatMessage m, JsonProvider json) {
        JsonArrayBuilder blocks = json.createArrayBuilder();
        for (ContentPart part : m.parts()) {
            if (part instanceof ContentPart.Text t && !t.text().isEmpty()) {
                blocks.add(json.createObjectBuilder().add("type", "text").add("text", t.text()));
            } else if (part instanceof ContentPart.Image image) {
                blocks.add(json.createObjectBuilder().add("type", "image").add("source", imageSource(image.url(), json)));
            }
        }
        for (ChatMessage.ToolCallRef call : m.toolCalls()) {
            blocks.add(json.createObjectBuilder()
                    .add("type", "tool_use")
                    .add("id", call.id())
                    .add("name", call.name())
                    .add("input", DialectSupport.requireObject(json, call.argumentsJson(),
                            "tool call " + call.id() + ": arguments")));
        }
        return blocks.build();
    }

    private static JsonObject imageSource(String url, JsonProvider json) {
        return DialectSupport.dataUrl(url)
                .map(d -> json.createObjectBuilder().add("type", "base64").add("media_type", d.mimeType())
                        .add("data", d.base64Data()).build())
                .orElseGet(() -> json.createObjectBuilder().add("type", "url").add("url", url).build());
    }

    /** The thinking and redacted_thinking blocks of a provider state; empty when it is not ours. */
    private static Optional<JsonArray> thinkingBlocks(String state, JsonProvider json) {
        Optional<JsonValue> value = DialectSupport.tryParse(json, state);
        if (value.isEmpty() || !(value.get() instanceof JsonArray array)) {
            return Optional.empty();
        }
        JsonArrayBuilder kept = json.createArrayBuilder();
        int count = 0;
        for (JsonValue v : array) {
            if (v instanceof JsonObject block) {
                String type = DialectSupport.string(block, "type").orElse("");
                if (type.equals("thinking") || type.equals("redacted_thinking")) {
                    kept.add(block);
                    count++;
                }
            }
        }
        return count == 0 ? Optional.empty() : Optional.of(kept.build());
    }
}
