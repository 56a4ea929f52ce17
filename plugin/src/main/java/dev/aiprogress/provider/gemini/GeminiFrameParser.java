package dev.aiprogress.provider.gemini;

import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads one {@code streamGenerateContent?alt=sse} stream (PROVIDERS.md A5). There is no end
 * marker: the body's end is the end, and it is a proper end only after a {@code finishReason}.
 * Thought parts are reasoning, other text is content, empty text gives nothing; whole
 * {@code functionCall} parts become tool calls. {@code usageMetadata} is cumulative: each new
 * value replaces the last, a frame without it changes nothing. Every {@code thoughtSignature} is
 * kept and emitted at the end as one {@link Delta.ProviderState}:
 * {@code {"thoughtSignatures":[{"signature":"..","functionCall":"name"?}]}}.
 */
final class GeminiFrameParser implements FrameParser {

    static final String STATE_KEY = "thoughtSignatures";

    private final JsonProvider json;
    private final JsonArrayBuilder signatures;
    private boolean hasSignatures;
    private int toolCalls;
    private String finishReason;
    private Chunk.Usage lastUsage;

    GeminiFrameParser(JsonProvider json) {
        this.json = json;
        this.signatures = json.createArrayBuilder();
    }

    @Override
    public Result onFrame(String event, String data, Consumer<Delta> out) throws StreamFailure {
        JsonObject frame = DialectSupport.parseObject(json, data, "gemini");
        Optional<JsonObject> error = DialectSupport.object(frame, "error");
        if (error.isPresent()) {
            throw DialectSupport.failure(Kind.UPSTREAM_ERROR, "gemini: " + GeminiDialect.errorText(error.get()).orElse("unknown error"));
        }
        JsonArray candidates = frame.get("candidates") instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
        if (candidates.isEmpty()) {
            Optional<String> blocked = DialectSupport.object(frame, "promptFeedback")
                    .flatMap(p -> DialectSupport.string(p, "blockReason"));
            if (blocked.isPresent()) {
                throw DialectSupport.failure(Kind.UPSTREAM_ERROR, "prompt blocked: " + blocked.get());
            }
        } else if (candidates.get(0) instanceof JsonObject candidate) {
            readParts(candidate, out);
            Optional<String> reason = DialectSupport.string(candidate, "finishReason");
            if (reason.isPresent() && !reason.get().equals(finishReason)) {
                finishReason = reason.get();
                out.accept(new Chunk.Finish(finishReason));
            }
        }
        DialectSupport.object(frame, "usageMetadata").ifPresent(u -> readUsage(u, out));
        return Result.CONTINUE;
    }

    private void readParts(JsonObject candidate, Consumer<Delta> out) {
        JsonValue parts = DialectSupport.object(candidate, "content").map(c -> c.get("parts")).orElse(null);
        if (!(parts instanceof JsonArray array)) {
            return;
        }
        for (JsonValue v : array) {
            if (!(v instanceof JsonObject part)) {
                continue;
            }
            Optional<JsonObject> call = DialectSupport.object(part, "functionCall");
            DialectSupport.string(part, "thoughtSignature").ifPresent(signature -> {
                JsonObjectBuilder entry = json.createObjectBuilder().add("signature", signature);
                call.flatMap(c -> DialectSupport.string(c, "name")).ifPresent(name -> entry.add("functionCall", name));
                signatures.add(entry);
                hasSignatures = true;
            });
            if (call.isPresent()) {
                toolCalls++;
                JsonObject c = call.get();
                String id = DialectSupport.string(c, "id").orElse("call_" + toolCalls);
                String args = DialectSupport.object(c, "args").orElse(JsonValue.EMPTY_JSON_OBJECT).toString();
                out.accept(new Chunk.ToolCall(id, DialectSupport.string(c, "name").orElse(""), args));
                continue;
            }
            String text = DialectSupport.string(part, "text").orElse("");
            if (!text.isEmpty()) {
                out.accept(JsonValue.TRUE.equals(part.get("thought")) ? Delta.reasoning(text) : Delta.content(text));
            }
        }
    }

    /** Input = prompt; output = candidates + thoughts (output includes reasoning); reasoning = thoughts. */
    private void readUsage(JsonObject usage, Consumer<Delta> out) {
        long thoughts = DialectSupport.number(usage, "thoughtsTokenCount", 0);
        Chunk.Usage next = new Chunk.Usage(DialectSupport.number(usage, "promptTokenCount", 0),
                DialectSupport.number(usage, "candidatesTokenCount", 0) + thoughts, OptionalLong.of(thoughts));
        if (!next.equals(lastUsage)) {
            lastUsage = next;
            out.accept(next);
        }
    }

    @Override
    public void onEndOfBody(Consumer<Delta> out) throws StreamFailure {
        if (finishReason == null) {
            throw DialectSupport.failure(Kind.TRUNCATED, "gemini stream ended without a finishReason");
        }
        if (hasSignatures) {
            out.accept(new Delta.ProviderState(json.createObjectBuilder().add(STATE_KEY, signatures).build().toString()));
        }
    }

    /** The signature entries of a provider state this parser produced; empty for any other state. */
    static Optional<JsonArray> signatures(String state, JsonProvider json) {
        return DialectSupport.tryParse(json, state)
                .filter(v -> v instanceof JsonObject)
                .map(v -> v.asJsonObject().get(STATE_KEY))
                .filter(v -> v instanceof JsonArray)
                .map(JsonValue::asJsonArray);
    }
}
