package dev.aiprogress.provider.ollama;

import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.JsonException;

import java.io.StringReader;
import java.util.NoSuchElementException;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads one {@code /api/chat} NDJSON stream (docs/PROVIDERS.md, "Ollama"). Every line is checked for
 * {@code error} first (a mid-stream error keeps status 200 and has no {@code done}); then
 * {@code message.thinking} is reasoning, {@code message.content} is content, and
 * {@code message.tool_calls} arrive whole. The {@code done:true} line carries usage
 * ({@code eval_count} includes thinking; no separate count) and the finish reason, and ends it.
 */
final class OllamaFrameParser implements FrameParser {

    private final JsonProvider json;
    private int toolCalls;

    OllamaFrameParser(JsonProvider json) {
        this.json = json;
    }

    @Override
    public Result onFrame(String event, String data, Consumer<Delta> out) throws StreamFailure {
        if (data.isBlank()) {
            return Result.CONTINUE;
        }
        if (fastLine(data, out)) {
            return Result.CONTINUE;
        }
        JsonObject line = DialectSupport.parseObject(json, data, "ollama");
        if (line.containsKey("error") && line.get("error") != JsonValue.NULL) {
            throw DialectSupport.failure(Kind.UPSTREAM_ERROR, "ollama: " + OllamaDialect.errorText(line).orElse("unknown error"));
        }
        Optional<JsonObject> message = DialectSupport.object(line, "message");
        if (message.isPresent()) {
            DialectSupport.string(message.get(), "thinking").filter(t -> !t.isEmpty()).ifPresent(t -> out.accept(Delta.reasoning(t)));
            DialectSupport.string(message.get(), "content").filter(t -> !t.isEmpty()).ifPresent(t -> out.accept(Delta.content(t)));
            if (message.get().get("tool_calls") instanceof JsonArray calls) {
                for (JsonValue call : calls) {
                    if (call instanceof JsonObject c) {
                        out.accept(toolCall(c));
                    }
                }
            }
        }
        if (JsonValue.TRUE.equals(line.get("done"))) {
            out.accept(new Chunk.Usage(DialectSupport.number(line, "prompt_eval_count", 0),
                    DialectSupport.number(line, "eval_count", 0), OptionalLong.empty()));
            out.accept(new Chunk.Finish(DialectSupport.string(line, "done_reason").filter(r -> !r.isEmpty()).orElse("stop")));
            return Result.END;
        }
        return Result.CONTINUE;
    }

    /**
     * Nearly every line is one token: {@code {"model":..,"created_at":..,"message":{"role":..,
     * "content":..,"thinking":..},"done":false}}. This reads that shape with the streaming parser
     * instead of building the object model. Any other shape (an {@code error} that is not null,
     * {@code done} other than false, tool calls or any nested value, invalid JSON) returns
     * {@code false} before anything is emitted, and the general path reads the line as before.
     */
    private boolean fastLine(String data, Consumer<Delta> out) {
        String thinking = null;
        String content = null;
        boolean messageSeen = false;
        try (JsonParser parser = json.createParser(new StringReader(data))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return false;
            }
            for (JsonParser.Event e = parser.next(); e != JsonParser.Event.END_OBJECT; e = parser.next()) {
                String key = parser.getString();
                JsonParser.Event value = parser.next();
                if (key.equals("message") && value == JsonParser.Event.START_OBJECT && !messageSeen) {
                    messageSeen = true;
                    for (JsonParser.Event m = parser.next(); m != JsonParser.Event.END_OBJECT; m = parser.next()) {
                        String field = parser.getString();
                        JsonParser.Event v = parser.next();
                        if (v == JsonParser.Event.START_OBJECT || v == JsonParser.Event.START_ARRAY) {
                            return false; // tool_calls, images
                        }
                        String string = v == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
                        if (field.equals("thinking")) {
                            thinking = string;
                        } else if (field.equals("content")) {
                            content = string;
                        }
                    }
                } else if (value == JsonParser.Event.START_OBJECT || value == JsonParser.Event.START_ARRAY) {
                    return false;
                } else if (key.equals("error") && value != JsonParser.Event.VALUE_NULL) {
                    return false;
                } else if (key.equals("done") && value != JsonParser.Event.VALUE_FALSE) {
                    return false; // the last line: usage and finish, read by the general path
                } else if (key.equals("message")) {
                    return false; // a message that is not an object
                }
            }
            if (parser.hasNext()) {
                return false;
            }
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            return false;
        }
        if (thinking != null && !thinking.isEmpty()) {
            out.accept(Delta.reasoning(thinking));
        }
        if (content != null && !content.isEmpty()) {
            out.accept(Delta.content(content));
        }
        return true;
    }

    /** Arguments are an object (a string holding one is accepted too); the id is generated when absent. */
    private Chunk.ToolCall toolCall(JsonObject call) throws StreamFailure {
        toolCalls++;
        JsonObject function = DialectSupport.object(call, "function").orElse(JsonValue.EMPTY_JSON_OBJECT);
        String name = DialectSupport.string(function, "name").orElse("");
        String id = DialectSupport.string(call, "id").or(() -> DialectSupport.string(function, "id")).orElse("call_" + toolCalls);
        JsonValue raw = function.getOrDefault("arguments", JsonValue.EMPTY_JSON_OBJECT);
        Optional<JsonValue> args;
        if (raw == JsonValue.NULL || raw instanceof JsonString s && s.getString().isBlank()) {
            args = Optional.of(JsonValue.EMPTY_JSON_OBJECT);
        } else if (raw instanceof JsonString s) {
            args = DialectSupport.tryParse(json, s.getString());
        } else {
            args = Optional.of(raw);
        }
        if (args.isEmpty() || !(args.get() instanceof JsonObject o)) {
            throw DialectSupport.failure(Kind.MALFORMED, "ollama tool call " + name + ": arguments are not a JSON object");
        }
        return new Chunk.ToolCall(id, name, o.toString());
    }

    @Override
    public void onEndOfBody(Consumer<Delta> out) throws StreamFailure {
        throw DialectSupport.failure(Kind.TRUNCATED, "ollama stream ended before done:true");
    }
}
