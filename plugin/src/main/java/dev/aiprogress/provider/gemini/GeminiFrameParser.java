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
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import jakarta.json.JsonException;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads one {@code streamGenerateContent?alt=sse} stream (docs/PROVIDERS.md, "Gemini"). There is no end
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
        if (fastFrame(data, out)) {
            return Result.CONTINUE;
        }
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
        applyUsage(DialectSupport.number(usage, "promptTokenCount", 0), DialectSupport.number(usage, "candidatesTokenCount", 0),
                DialectSupport.number(usage, "thoughtsTokenCount", 0), out);
    }

    private void applyUsage(long prompt, long candidates, long thoughts, Consumer<Delta> out) {
        Chunk.Usage next = new Chunk.Usage(prompt, candidates + thoughts, OptionalLong.of(thoughts));
        if (!next.equals(lastUsage)) {
            lastUsage = next;
            out.accept(next);
        }
    }

    /**
     * Nearly every frame is one candidate with text parts and the cumulative usage. This reads that
     * shape with the streaming parser instead of building the object model. Any other shape (an
     * error, no candidates or several, a part with a signature, a function call or any field
     * besides {@code text}/{@code thought}, safety ratings or other nested candidate data, a usage
     * count that is not a whole number, invalid JSON) returns {@code false} before anything is
     * emitted, and the general path reads the frame as before.
     */
    private boolean fastFrame(String data, Consumer<Delta> out) {
        List<String> texts = null;
        List<Boolean> thoughts = null;
        String reason = null;
        boolean candidateSeen = false;
        boolean usageSeen = false;
        long prompt = 0;
        long candidateTokens = 0;
        long thoughtTokens = 0;
        try (JsonParser parser = json.createParser(new StringReader(data))) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                return false;
            }
            for (Event e = parser.next(); e != Event.END_OBJECT; e = parser.next()) {
                String key = parser.getString();
                Event value = parser.next();
                if (key.equals("candidates") && value == Event.START_ARRAY && !candidateSeen) {
                    for (Event c = parser.next(); c != Event.END_ARRAY; c = parser.next()) {
                        if (c != Event.START_OBJECT || candidateSeen) {
                            return false;
                        }
                        candidateSeen = true;
                        for (Event f = parser.next(); f != Event.END_OBJECT; f = parser.next()) {
                            String field = parser.getString();
                            Event v = parser.next();
                            if (field.equals("content") && v == Event.START_OBJECT && texts == null) {
                                texts = new ArrayList<>(1);
                                thoughts = new ArrayList<>(1);
                                if (!readContent(parser, texts, thoughts)) {
                                    return false;
                                }
                            } else if (v == Event.START_OBJECT || v == Event.START_ARRAY) {
                                return false;
                            } else if (field.equals("finishReason")) {
                                reason = v == Event.VALUE_STRING ? parser.getString() : null;
                            }
                        }
                    }
                    if (!candidateSeen) {
                        return false; // no candidates: maybe a blocked prompt
                    }
                } else if (key.equals("usageMetadata") && value == Event.START_OBJECT && !usageSeen) {
                    usageSeen = true;
                    for (Event u = parser.next(); u != Event.END_OBJECT; u = parser.next()) {
                        String field = parser.getString();
                        Event v = parser.next();
                        if (v == Event.START_OBJECT) {
                            parser.skipObject(); // per-modality details are not read
                        } else if (v == Event.START_ARRAY) {
                            parser.skipArray();
                        } else if (field.equals("promptTokenCount") || field.equals("candidatesTokenCount")
                                || field.equals("thoughtsTokenCount")) {
                            if (v != Event.VALUE_NUMBER || !parser.isIntegralNumber()) {
                                return false;
                            }
                            long n = parser.getLong();
                            if (field.equals("promptTokenCount")) {
                                prompt = n;
                            } else if (field.equals("candidatesTokenCount")) {
                                candidateTokens = n;
                            } else {
                                thoughtTokens = n;
                            }
                        }
                    }
                } else if (value == Event.START_OBJECT || value == Event.START_ARRAY) {
                    return false; // error, promptFeedback, a second candidates or usage, ...
                } else if (key.equals("candidates") || key.equals("usageMetadata") || key.equals("error")) {
                    return false;
                }
            }
            if (parser.hasNext() || !candidateSeen) {
                return false;
            }
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            return false;
        }
        if (texts != null) {
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                if (text != null && !text.isEmpty()) {
                    out.accept(thoughts.get(i) ? Delta.reasoning(text) : Delta.content(text));
                }
            }
        }
        if (reason != null && !reason.equals(finishReason)) {
            finishReason = reason;
            out.accept(new Chunk.Finish(finishReason));
        }
        if (usageSeen) {
            applyUsage(prompt, candidateTokens, thoughtTokens, out);
        }
        return true;
    }

    /** A candidate's content, after its START_OBJECT: parts of only text and thought; false for anything else. */
    private static boolean readContent(JsonParser parser, List<String> texts, List<Boolean> thoughts) {
        boolean partsSeen = false;
        for (Event f = parser.next(); f != Event.END_OBJECT; f = parser.next()) {
            String field = parser.getString();
            Event v = parser.next();
            if (field.equals("parts") && v == Event.START_ARRAY && !partsSeen) {
                partsSeen = true;
                for (Event p = parser.next(); p != Event.END_ARRAY; p = parser.next()) {
                    if (p != Event.START_OBJECT) {
                        return false;
                    }
                    String text = null;
                    boolean thought = false;
                    for (Event k = parser.next(); k != Event.END_OBJECT; k = parser.next()) {
                        String name = parser.getString();
                        Event pv = parser.next();
                        if (name.equals("text") && pv != Event.START_OBJECT && pv != Event.START_ARRAY) {
                            text = pv == Event.VALUE_STRING ? parser.getString() : null;
                        } else if (name.equals("thought") && pv != Event.START_OBJECT && pv != Event.START_ARRAY) {
                            thought = pv == Event.VALUE_TRUE;
                        } else {
                            return false; // thoughtSignature, functionCall, inlineData, ...
                        }
                    }
                    texts.add(text);
                    thoughts.add(thought);
                }
            } else if (v == Event.START_OBJECT || v == Event.START_ARRAY) {
                return false;
            } else if (field.equals("parts")) {
                return false;
            }
        }
        return true;
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
