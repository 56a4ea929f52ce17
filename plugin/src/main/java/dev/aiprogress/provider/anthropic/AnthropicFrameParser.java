package dev.aiprogress.provider.anthropic;

import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

import java.io.StringReader;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads one Messages API stream (docs/PROVIDERS.md, "Anthropic Messages"). Text and thinking deltas go out at once; a
 * tool_use block's {@code partial_json} fragments are assembled and checked at its
 * {@code content_block_stop}; thinking blocks (with their signature) and redacted_thinking blocks
 * are kept and emitted as one {@link Delta.ProviderState} (a JSON array) just before the end.
 * Unknown event, block and delta types are ignored.
 */
final class AnthropicFrameParser implements FrameParser {

    private static final Set<String> KNOWN_EVENTS = Set.of("message_start", "content_block_start",
            "content_block_delta", "content_block_stop", "message_delta", "message_stop", "error");

    private final JsonProvider json;
    /** Blocks started and not yet stopped, by index. */
    private final Map<Integer, Block> open = new TreeMap<>();
    /** Thinking and redacted_thinking blocks to hand back on the next turn, in stream order. */
    private final JsonArrayBuilder state;
    private boolean hasState;
    private long inputTokens;
    private long outputTokens;
    /** Only some responses split out thinking tokens ({@code output_tokens_details.thinking_tokens}). */
    private OptionalLong thinkingTokens = OptionalLong.empty();

    AnthropicFrameParser(JsonProvider json) {
        this.json = json;
        this.state = json.createArrayBuilder();
    }

    /** One open content block; which fields matter depends on the type. */
    private static final class Block {
        final String type;
        final String toolId;
        final String toolName;
        final JsonObject startInput;
        final StringBuilder text = new StringBuilder();
        final StringBuilder signature = new StringBuilder();
        final String redactedData;

        Block(JsonObject start) {
            type = DialectSupport.string(start, "type").orElse("");
            toolId = DialectSupport.string(start, "id").orElse("");
            toolName = DialectSupport.string(start, "name").orElse("");
            startInput = DialectSupport.object(start, "input").orElse(JsonValue.EMPTY_JSON_OBJECT);
            redactedData = DialectSupport.string(start, "data").orElse("");
            DialectSupport.string(start, "thinking").ifPresent(text::append);
        }
    }

    @Override
    public Result onFrame(String event, String data, Consumer<Delta> out) throws StreamFailure {
        if ("ping".equals(event)) {
            return Result.CONTINUE;
        }
        if ("content_block_delta".equals(event) && fastBlockDelta(data, out)) {
            return Result.CONTINUE;
        }
        if (event != null && !KNOWN_EVENTS.contains(event) && DialectSupport.tryParse(json, data).isEmpty()) {
            return Result.CONTINUE; // an event type added later, whatever its data looks like
        }
        JsonObject frame = DialectSupport.parseObject(json, data, "anthropic");
        String type = DialectSupport.string(frame, "type").orElse(event == null ? "" : event);
        switch (type) {
            case "message_start" -> DialectSupport.object(frame, "message")
                    .flatMap(m -> DialectSupport.object(m, "usage"))
                    .ifPresent(this::readUsage);
            case "content_block_start" -> onBlockStart(frame, out);
            case "content_block_delta" -> onBlockDelta(frame, out);
            case "content_block_stop" -> onBlockStop(index(frame), out);
            case "message_delta" -> onMessageDelta(frame, out);
            case "message_stop" -> {
                if (!open.isEmpty()) {
                    int index = open.keySet().iterator().next();
                    throw DialectSupport.failure(Kind.MALFORMED, "anthropic stream ended (message_stop) with content block "
                            + index + " (" + open.get(index).type + ") still open");
                }
                if (hasState) {
                    out.accept(new Delta.ProviderState(state.build().toString()));
                }
                return Result.END;
            }
            case "error" -> {
                JsonObject error = DialectSupport.object(frame, "error").orElse(JsonValue.EMPTY_JSON_OBJECT);
                throw DialectSupport.failure(Kind.UPSTREAM_ERROR,
                        "anthropic: " + AnthropicDialect.errorText(error).orElse("unknown error"));
            }
            default -> {
                // ping, and event types added after this was written
            }
        }
        return Result.CONTINUE;
    }

    /** Opens a block; text a start already carries (normally none) goes out at once. */
    private void onBlockStart(JsonObject frame, Consumer<Delta> out) {
        Block block = new Block(DialectSupport.object(frame, "content_block").orElse(JsonValue.EMPTY_JSON_OBJECT));
        open.put(index(frame), block);
        if (block.type.equals("thinking") && block.text.length() > 0) {
            out.accept(Delta.reasoning(block.text.toString()));
        } else if (block.type.equals("text")) {
            DialectSupport.object(frame, "content_block").flatMap(b -> DialectSupport.string(b, "text"))
                    .filter(t -> !t.isEmpty()).ifPresent(t -> out.accept(Delta.content(t)));
        }
    }

    private void onBlockDelta(JsonObject frame, Consumer<Delta> out) throws StreamFailure {
        JsonObject delta = DialectSupport.object(frame, "delta").orElse(JsonValue.EMPTY_JSON_OBJECT);
        applyDelta(index(frame), DialectSupport.string(delta, "type").orElse(""),
                DialectSupport.string(delta, "text").orElse(null), DialectSupport.string(delta, "thinking").orElse(null),
                DialectSupport.string(delta, "signature").orElse(null), DialectSupport.string(delta, "partial_json").orElse(null),
                out);
    }

    /** One content_block_delta, its string fields already read ({@code null} when absent or not a string). */
    private void applyDelta(int index, String type, String text, String thinking, String signature, String partialJson,
                            Consumer<Delta> out) throws StreamFailure {
        Block block = open.get(index);
        switch (type) {
            case "text_delta" -> {
                if (text != null && !text.isEmpty()) {
                    out.accept(Delta.content(text));
                }
            }
            case "thinking_delta" -> {
                String t = thinking == null ? "" : thinking;
                if (block != null) {
                    block.text.append(t);
                }
                if (!t.isEmpty()) {
                    out.accept(Delta.reasoning(t));
                }
            }
            case "signature_delta" -> {
                if (block != null && signature != null) {
                    block.signature.append(signature);
                }
            }
            case "input_json_delta" -> {
                if (block == null) {
                    throw DialectSupport.failure(Kind.MALFORMED,
                            "anthropic sent tool input for content block " + index + " that was never started");
                }
                if (partialJson != null) {
                    block.text.append(partialJson);
                }
            }
            default -> {
                // citations_delta and delta types added later
            }
        }
    }

    /**
     * Nearly every frame of a stream is a content_block_delta of one token. This reads that shape
     * with the streaming parser, without building the object model (maps, value wrappers,
     * Optionals): about a third of the per-frame cost. Any other shape (a nested value where a
     * string belongs, a missing or different {@code type}, trailing text, invalid JSON) returns
     * {@code false} before anything is applied, and the general path reads the frame as before.
     */
    private boolean fastBlockDelta(String data, Consumer<Delta> out) throws StreamFailure {
        String type = null;
        long index = 0;
        String deltaType = "";
        String text = null;
        String thinking = null;
        String signature = null;
        String partialJson = null;
        boolean sawDelta = false;
        try (JsonParser parser = json.createParser(new StringReader(data))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return false;
            }
            for (JsonParser.Event e = parser.next(); e != JsonParser.Event.END_OBJECT; e = parser.next()) {
                String key = parser.getString();
                JsonParser.Event value = parser.next();
                if (key.equals("delta")) {
                    if (value != JsonParser.Event.START_OBJECT || sawDelta) {
                        return false;
                    }
                    sawDelta = true;
                    for (JsonParser.Event d = parser.next(); d != JsonParser.Event.END_OBJECT; d = parser.next()) {
                        String field = parser.getString();
                        JsonParser.Event v = parser.next();
                        if (v == JsonParser.Event.START_OBJECT || v == JsonParser.Event.START_ARRAY) {
                            return false;
                        }
                        String string = v == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
                        switch (field) {
                            case "type" -> deltaType = string == null ? "" : string;
                            case "text" -> text = string;
                            case "thinking" -> thinking = string;
                            case "signature" -> signature = string;
                            case "partial_json" -> partialJson = string;
                            default -> {
                                // other fields of a delta are not read
                            }
                        }
                    }
                } else if (value == JsonParser.Event.START_OBJECT || value == JsonParser.Event.START_ARRAY) {
                    return false;
                } else if (key.equals("type")) {
                    type = value == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
                } else if (key.equals("index")) {
                    if (value != JsonParser.Event.VALUE_NUMBER || !parser.isIntegralNumber()) {
                        return false;
                    }
                    index = parser.getLong();
                }
            }
            if (parser.hasNext() || !"content_block_delta".equals(type)) {
                return false;
            }
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            return false;
        }
        applyDelta((int) index, deltaType, text, thinking, signature, partialJson, out);
        return true;
    }

    private void onBlockStop(int index, Consumer<Delta> out) throws StreamFailure {
        Block block = open.remove(index);
        if (block == null) {
            return;
        }
        switch (block.type) {
            case "tool_use" -> out.accept(new Chunk.ToolCall(block.toolId, block.toolName, toolArguments(block)));
            case "thinking" -> {
                state.add(json.createObjectBuilder().add("type", "thinking")
                        .add("thinking", block.text.toString()).add("signature", block.signature.toString()));
                hasState = true;
            }
            case "redacted_thinking" -> {
                state.add(json.createObjectBuilder().add("type", "redacted_thinking").add("data", block.redactedData));
                hasState = true;
            }
            default -> {
                // text was streamed as it came; server-tool blocks are not ours to run
            }
        }
    }

    /** The assembled {@code partial_json}, checked to be a JSON object; {@code {}} when empty. */
    private String toolArguments(Block block) throws StreamFailure {
        String text = block.text.toString();
        if (text.isBlank()) {
            return block.startInput.toString();
        }
        Optional<JsonValue> value = DialectSupport.tryParse(json, text);
        if (value.isEmpty() || !(value.get() instanceof JsonObject args)) {
            throw DialectSupport.failure(Kind.MALFORMED, "anthropic tool call " + block.toolName + " (" + block.toolId
                    + "): arguments are not a valid JSON object");
        }
        return args.toString();
    }

    private void onMessageDelta(JsonObject frame, Consumer<Delta> out) {
        DialectSupport.object(frame, "delta").flatMap(d -> DialectSupport.string(d, "stop_reason"))
                .ifPresent(reason -> out.accept(new Chunk.Finish(reason)));
        Optional<JsonObject> usage = DialectSupport.object(frame, "usage");
        if (usage.isPresent()) {
            readUsage(usage.get());
            out.accept(new Chunk.Usage(inputTokens, outputTokens, thinkingTokens));
        }
    }

    /**
     * Input = uncached + cache writes + cache reads; output includes thinking. Every count is
     * cumulative, so the last one wins.
     */
    private void readUsage(JsonObject usage) {
        if (DialectSupport.number(usage, "input_tokens", -1) >= 0) {
            inputTokens = DialectSupport.number(usage, "input_tokens", 0)
                    + DialectSupport.number(usage, "cache_creation_input_tokens", 0)
                    + DialectSupport.number(usage, "cache_read_input_tokens", 0);
        }
        outputTokens = DialectSupport.number(usage, "output_tokens", outputTokens);
        long thinking = DialectSupport.object(usage, "output_tokens_details")
                .map(d -> DialectSupport.number(d, "thinking_tokens", -1)).orElse(-1L);
        if (thinking >= 0) {
            thinkingTokens = OptionalLong.of(thinking);
        }
    }

    private static int index(JsonObject frame) {
        return (int) DialectSupport.number(frame, "index", 0);
    }

    @Override
    public void onEndOfBody(Consumer<Delta> out) throws StreamFailure {
        throw DialectSupport.failure(Kind.TRUNCATED, "anthropic stream ended before message_stop");
    }
}
