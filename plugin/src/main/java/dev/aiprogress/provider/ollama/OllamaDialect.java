package dev.aiprogress.provider.ollama;

import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.UpstreamCall;
import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.provider.sse.HttpErrorText;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.Optional;

/**
 * Ollama's native chat API ({@code POST {base}/api/chat}, NDJSON). {@code Authorization: Bearer}
 * is sent only when a key is configured (Ollama Cloud); a local Ollama needs none. The request
 * shape is {@link OllamaRequestBody}; the stream is read by {@link OllamaFrameParser}.
 */
public final class OllamaDialect implements WireDialect {

    public static final String NAME = "ollama";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Framing framing() {
        return Framing.NDJSON;
    }

    @Override
    public UpstreamCall call(ChatRequest request, ProviderSettings settings, JsonProvider json) {
        return new UpstreamCall("/api/chat", DialectSupport.keyHeader(settings, "Authorization", "Bearer "), OllamaRequestBody.build(request, json).toString());
    }

    @Override
    public FrameParser newParser(ChatRequest request, JsonProvider json) {
        return new OllamaFrameParser(json);
    }

    /** Reads {@code {"error":"..."}} (and, to be safe, an error object with a message). */
    @Override
    public String describeHttpError(int status, String bodyStart, JsonProvider json) {
        return HttpErrorText.describeDetailFirst(status, bodyStart, json, OllamaDialect::errorText);
    }

    static Optional<String> errorText(JsonObject body) {
        JsonValue error = body.get("error");
        if (error instanceof JsonObject o) {
            return DialectSupport.string(o, "message");
        }
        return DialectSupport.string(body, "error");
    }
}
