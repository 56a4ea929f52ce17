package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.provider.sse.HttpErrorText;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads an OpenAI-compatible chat completion stream (docs/PROVIDERS.md: "OpenAI Chat Completions",
 * "DeepSeek", "OpenRouter, vLLM, Groq and other compatible servers").
 *
 * <ul>
 *   <li>Only choice {@code index 0} is read: requests never ask for {@code n > 1}.</li>
 *   <li>Reasoning: the first non-empty of {@code reasoning_content}, {@code reasoning},
 *       {@code thinking} per delta (servers that send two carry the same text); emitted before
 *       the delta's content. {@code reasoning_details[]} is kept as one {@link Delta.ProviderState}
 *       at the end, never emitted as text.</li>
 *   <li>{@code content} and {@code refusal} are answer text.</li>
 *   <li>Tool calls are assembled by {@link ToolCallAssembler} and emitted whole when the finish
 *       reason, {@code [DONE]} or the end of the body arrives.</li>
 *   <li>Usage comes from any chunk carrying a non-null {@code usage} (a {@code choices: []} /
 *       {@code null} / missing chunk, or DeepSeek's finish chunk).</li>
 *   <li>A chunk with a truthy {@code error} is an {@link Kind#UPSTREAM_ERROR}.</li>
 * </ul>
 */
final class OpenAiFrameParser implements FrameParser {

    private final JsonProvider json;
    private final ToolCallAssembler toolCalls;
    private final ReasoningDetails reasoningDetails;
    /** Null when every frame takes the general path (tests compare the two). */
    private final ChunkScanner scanner;
    private boolean finishSeen;

    OpenAiFrameParser(JsonProvider json) {
        this(json, true);
    }

    OpenAiFrameParser(JsonProvider json, boolean fastPath) {
        this.json = json;
        this.scanner = fastPath ? new ChunkScanner() : null;
        this.toolCalls = new ToolCallAssembler(json);
        this.reasoningDetails = new ReasoningDetails(json);
    }

    @Override
    public Result onFrame(String event, String data, Consumer<Delta> out) throws StreamFailure {
        String text = data.strip();
        if (text.equals("[DONE]")) {
            flush(out);
            return Result.END;
        }
        if (text.isEmpty()) {
            return Result.CONTINUE;
        }
        if (fastChunk(text, out)) {
            return Result.CONTINUE;
        }
        JsonObject chunk = parse(text);
        checkError(chunk);
        JsonValue choices = chunk.get("choices");
        if (choices instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonObject choice && intField(choice, "index").orElse(0) == 0) {
                    readChoice(choice, out);
                }
            }
        }
        if (chunk.get("usage") instanceof JsonObject usage) {
            out.accept(usage(usage));
        }
        return Result.CONTINUE;
    }

    @Override
    public void onEndOfBody(Consumer<Delta> out) throws StreamFailure {
        if (!finishSeen) {
            throw new StreamFailure(ProviderFailure.of(Kind.TRUNCATED,
                    "upstream connection closed before the end of the stream"));
        }
        flush(out);
    }

    private void readChoice(JsonObject choice, Consumer<Delta> out) throws StreamFailure {
        String reasoningContent = null;
        String reasoning = null;
        String thinking = null;
        String content = null;
        String refusal = null;
        if (choice.get("delta") instanceof JsonObject delta) {
            reasoningContent = stringField(delta, "reasoning_content").orElse(null);
            reasoning = stringField(delta, "reasoning").orElse(null);
            thinking = stringField(delta, "thinking").orElse(null);
            content = stringField(delta, "content").orElse(null);
            refusal = stringField(delta, "refusal").orElse(null);
            // Details and tool-call fragments are only gathered here; they go out at the finish.
            if (delta.get("reasoning_details") instanceof JsonArray details) {
                reasoningDetails.add(details);
            }
            if (delta.get("tool_calls") instanceof JsonArray calls) {
                for (JsonValue value : calls) {
                    if (value instanceof JsonObject call) {
                        addToolCall(call);
                    }
                }
            }
        }
        applyChoice(reasoningContent, reasoning, thinking, content, refusal,
                stringField(choice, "finish_reason").orElse(null), out);
    }

    /** One choice-0 delta, its string fields already read ({@code null} when absent or not a string). */
    private void applyChoice(String reasoningContent, String reasoning, String thinking, String content, String refusal,
                             String finish, Consumer<Delta> out) throws StreamFailure {
        String r = firstNonEmpty(reasoningContent, reasoning, thinking);
        if (r != null) {
            out.accept(Delta.reasoning(r));
        }
        if (content != null && !content.isEmpty()) {
            out.accept(Delta.content(content));
        }
        if (refusal != null && !refusal.isEmpty()) {
            out.accept(Delta.content(refusal));
        }
        if (finish != null && !finish.isEmpty()) {
            finishSeen = true;
            flush(out);
            out.accept(new Chunk.Finish(finish));
        }
    }

    /**
     * Nearly every frame is one text or reasoning token of choice 0: {@link ChunkScanner} reads that
     * shape from the text without a JSON library. Any other shape returns {@code false} before
     * anything is applied, and the general path reads the frame.
     */
    private boolean fastChunk(String text, Consumer<Delta> out) throws StreamFailure {
        if (scanner == null || !scanner.scan(text)) {
            return false;
        }
        if (scanner.choiceSeen && (int) scanner.index == 0) {
            applyChoice(scanner.reasoningContent, scanner.reasoning, scanner.thinking, scanner.content, scanner.refusal,
                    scanner.finishReason, out);
        }
        return true;
    }

    private void addToolCall(JsonObject call) {
        Optional<String> name = Optional.empty();
        Optional<String> arguments = Optional.empty();
        if (call.get("function") instanceof JsonObject function) {
            name = stringField(function, "name");
            JsonValue args = function.get("arguments");
            if (args instanceof JsonString s) {
                arguments = Optional.of(s.getString());
            } else if (args instanceof JsonObject || args instanceof JsonArray) {
                arguments = Optional.of(args.toString());
            }
        }
        toolCalls.add(intField(call, "index"), stringField(call, "id").filter(s -> !s.isEmpty()), name, arguments);
    }

    /** Emits what is held until the end: assembled tool calls, then the reasoning details. */
    private void flush(Consumer<Delta> out) throws StreamFailure {
        if (!toolCalls.isEmpty()) {
            for (Chunk.ToolCall call : toolCalls.drain()) {
                out.accept(call);
            }
        }
        reasoningDetails.drain().ifPresent(out);
    }

    private JsonObject parse(String text) throws StreamFailure {
        try (JsonReader reader = json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject object) {
                return object;
            }
        } catch (JsonException | IllegalStateException e) {
            // reported below
        }
        throw new StreamFailure(ProviderFailure.of(Kind.MALFORMED, "upstream sent a frame that is not valid JSON"));
    }

    /** The SDK's rule: any truthy {@code error}; its {@code message} when it is an object. */
    private static void checkError(JsonObject chunk) throws StreamFailure {
        JsonValue error = chunk.get("error");
        if (error == null || error == JsonValue.NULL || error == JsonValue.FALSE) {
            return;
        }
        String message = HttpErrorText.jsonErrorMessage(chunk).orElse("upstream reported an error in the stream");
        throw new StreamFailure(ProviderFailure.of(Kind.UPSTREAM_ERROR, message));
    }

    private static Chunk.Usage usage(JsonObject usage) {
        long input = longField(usage, "prompt_tokens").orElse(0);
        long output = longField(usage, "completion_tokens").orElse(0);
        OptionalLong reasoning = OptionalLong.empty();
        if (usage.get("completion_tokens_details") instanceof JsonObject details) {
            reasoning = longField(details, "reasoning_tokens");
        }
        return new Chunk.Usage(input, output, reasoning);
    }

    private static String firstNonEmpty(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    static Optional<String> stringField(JsonObject object, String name) {
        return object.get(name) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    private static Optional<Integer> intField(JsonObject object, String name) {
        return object.get(name) instanceof JsonNumber n ? Optional.of(n.intValue()) : Optional.empty();
    }

    private static OptionalLong longField(JsonObject object, String name) {
        return object.get(name) instanceof JsonNumber n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }
}
