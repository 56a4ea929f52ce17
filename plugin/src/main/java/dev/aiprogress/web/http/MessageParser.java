package dev.aiprogress.web.http;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.ToolSpec;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The structured fields of a chat body: {@code messages} (OpenAI shape, content a string or
 * text/image_url parts) and {@code tools} (OpenAI function format). Each error names the exact
 * place, e.g. {@code messages[2].content[0].type}.
 */
final class MessageParser {

    private static final String TOOL_NAME = "[A-Za-z0-9_-]{1,64}";

    private final HttpOptions.RequestLimits limits;

    MessageParser(HttpOptions.RequestLimits limits) {
        this.limits = limits;
    }

    /** A structure that form-encoded bodies send as JSON text; empty when absent or JSON null. */
    static Optional<JsonValue> structure(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString s) {
            String text = s.getString().trim();
            if (!(text.startsWith("[") || text.startsWith("{"))) {
                return Optional.of(value);
            }
            if (RequestBody.nestingDepth(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) > RequestBody.MAX_DEPTH) {
                throw FrappeError.badRequest(field + " is nested deeper than " + RequestBody.MAX_DEPTH + " levels");
            }
            try (JsonReader reader = WebJson.READERS.createReader(new StringReader(text))) {
                return Optional.of(reader.readValue());
            } catch (JsonParsingException e) {
                throw FrappeError.badRequest(field + " is not valid JSON: " + RequestBody.where(e, text.length()));
            } catch (JsonException e) {
                throw FrappeError.badRequest(field + " is not valid JSON");
            }
        }
        return Optional.of(value);
    }

    List<ChatMessage> messages(JsonValue value) {
        if (!(value instanceof JsonArray array)) {
            throw FrappeError.badRequest("messages must be an array of {role, content}");
        }
        if (array.isEmpty()) {
            throw FrappeError.badRequest("messages must not be empty");
        }
        if (array.size() > limits.maxMessages()) {
            throw FrappeError.tooLarge("too many messages: " + array.size() + "; the limit is " + limits.maxMessages()
                    + " (ai-progress.limits.max-messages)");
        }
        List<ChatMessage> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(message(array.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private ChatMessage message(JsonValue value, String at) {
        if (!(value instanceof JsonObject m)) {
            throw FrappeError.badRequest(at + " must be an object {role, content}");
        }
        ChatMessage.Role role = role(m, at);
        List<ChatMessage.ToolCallRef> toolCalls = role == ChatMessage.Role.ASSISTANT ? toolCalls(m, at) : List.of();
        JsonValue content = m.get("content");
        List<ContentPart> parts;
        if (content == null || content.getValueType() == JsonValue.ValueType.NULL) {
            if (toolCalls.isEmpty()) {
                throw FrappeError.badRequest(at + ".content is required");
            }
            parts = List.of();
        } else {
            parts = parts(content, at + ".content");
        }
        long chars = parts.stream().mapToLong(p -> p instanceof ContentPart.Text t ? t.text().length() : 0).sum();
        if (chars > limits.maxContentChars()) {
            throw FrappeError.tooLarge(at + ".content is " + chars + " characters; the limit is "
                    + limits.maxContentChars() + " (ai-progress.limits.max-content-chars)");
        }
        Optional<String> toolCallId = role == ChatMessage.Role.TOOL
                ? optionalString(m, "tool_call_id", at + ".tool_call_id") : Optional.empty();
        return new ChatMessage(role, parts, toolCallId, toolCalls);
    }

    private static ChatMessage.Role role(JsonObject m, String at) {
        if (!(m.get("role") instanceof JsonString s)) {
            throw FrappeError.badRequest(at + ".role is required (system, user, assistant or tool)");
        }
        return switch (s.getString()) {
            case "system" -> ChatMessage.Role.SYSTEM;
            case "user", "tool_result" -> ChatMessage.Role.USER; // tool_result: as the Oropendola client maps it
            case "assistant" -> ChatMessage.Role.ASSISTANT;
            case "tool" -> ChatMessage.Role.TOOL;
            default -> throw FrappeError.badRequest(at + ".role: unknown role '" + s.getString()
                    + "'; one of system, user, assistant, tool");
        };
    }

    private static List<ContentPart> parts(JsonValue content, String at) {
        if (content instanceof JsonString s) {
            return List.of(new ContentPart.Text(s.getString()));
        }
        if (!(content instanceof JsonArray array)) {
            throw FrappeError.badRequest(at + " must be a string or an array of parts");
        }
        List<ContentPart> parts = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String p = at + "[" + i + "]";
            if (!(array.get(i) instanceof JsonObject part)) {
                throw FrappeError.badRequest(p + " must be an object {type, ...}");
            }
            String type = part.get("type") instanceof JsonString t ? t.getString() : "";
            if (type.equals("text")) {
                if (!(part.get("text") instanceof JsonString text)) {
                    throw FrappeError.badRequest(p + ".text must be a string");
                }
                parts.add(new ContentPart.Text(text.getString()));
            } else if (type.equals("image_url")) {
                if (!(part.get("image_url") instanceof JsonObject image) || !(image.get("url") instanceof JsonString url)
                        || url.getString().isBlank()) {
                    throw FrappeError.badRequest(p + ".image_url must be an object {url}");
                }
                String u = url.getString();
                if (!(u.startsWith("https://") || u.startsWith("http://") || u.startsWith("data:"))) {
                    throw FrappeError.badRequest(p + ".image_url.url must be an http(s) or data: URL");
                }
                parts.add(new ContentPart.Image(u));
            } else {
                throw FrappeError.badRequest(p + ".type: unsupported part type '" + type + "'; text or image_url");
            }
        }
        return parts;
    }

    private static List<ChatMessage.ToolCallRef> toolCalls(JsonObject m, String at) {
        JsonValue value = m.get("tool_calls");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw FrappeError.badRequest(at + ".tool_calls must be an array");
        }
        List<ChatMessage.ToolCallRef> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String c = at + ".tool_calls[" + i + "]";
            if (!(array.get(i) instanceof JsonObject call) || !(call.get("id") instanceof JsonString id)
                    || !(call.get("function") instanceof JsonObject fn) || !(fn.get("name") instanceof JsonString name)) {
                throw FrappeError.badRequest(c + " must be {id, type:\"function\", function:{name, arguments}}");
            }
            JsonValue args = fn.get("arguments");
            String argumentsJson = args instanceof JsonString s ? s.getString()
                    : args instanceof JsonObject o ? o.toString() : "{}";
            out.add(new ChatMessage.ToolCallRef(id.getString(), name.getString(), argumentsJson));
        }
        return out;
    }

    List<ToolSpec> tools(JsonValue value) {
        if (!(value instanceof JsonArray array)) {
            throw FrappeError.badRequest("tools must be an array of {type:\"function\", function:{name, description, parameters}}");
        }
        List<ToolSpec> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String t = "tools[" + i + "]";
            if (!(array.get(i) instanceof JsonObject tool) || !(tool.get("type") instanceof JsonString type)
                    || !type.getString().equals("function")) {
                throw FrappeError.badRequest(t + ".type must be \"function\"");
            }
            if (!(tool.get("function") instanceof JsonObject fn)) {
                throw FrappeError.badRequest(t + ".function must be an object {name, description, parameters}");
            }
            if (!(fn.get("name") instanceof JsonString name) || !name.getString().matches(TOOL_NAME)) {
                throw FrappeError.badRequest(t + ".function.name must match " + TOOL_NAME);
            }
            String description = optionalString(fn, "description", t + ".function.description").orElse("");
            JsonValue params = fn.get("parameters");
            String parametersJson;
            if (params == null || params.getValueType() == JsonValue.ValueType.NULL) {
                parametersJson = "{}";
            } else if (params instanceof JsonObject schema) {
                parametersJson = schema.toString();
            } else {
                throw FrappeError.badRequest(t + ".function.parameters must be a JSON Schema object");
            }
            out.add(new ToolSpec(name.getString(), description, parametersJson));
        }
        return out;
    }

    static Optional<String> optionalString(JsonObject o, String field, String at) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (!(v instanceof JsonString s)) {
            throw FrappeError.badRequest(at + " must be a string");
        }
        return Optional.of(s.getString());
    }
}
