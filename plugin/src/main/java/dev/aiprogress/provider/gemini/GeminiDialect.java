package dev.aiprogress.provider.gemini;

import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.UpstreamCall;
import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.provider.sse.HttpErrorText;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Google Gemini ({@code POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse}). The key
 * goes in the {@code x-goog-api-key} header, never the query string (URLs end up in logs). The
 * request shape is {@link GeminiRequestBody}; the stream is read by {@link GeminiFrameParser}.
 */
public final class GeminiDialect implements WireDialect {

    public static final String NAME = "gemini";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Framing framing() {
        return Framing.SSE;
    }

    @Override
    public UpstreamCall call(ChatRequest request, ProviderSettings settings, JsonProvider json) {
        return new UpstreamCall(path(request.model()), DialectSupport.keyHeader(settings, "x-goog-api-key", ""), GeminiRequestBody.build(request, json).toString());
    }

    /** The model is one path segment: a leading {@code models/} is dropped, the rest percent-encoded. */
    static String path(String model) {
        String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
        String segment = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "/v1beta/models/" + segment + ":streamGenerateContent?alt=sse";
    }

    @Override
    public FrameParser newParser(ChatRequest request, JsonProvider json) {
        return new GeminiFrameParser(json);
    }

    /** Reads {@code {"error":{"code":..,"message":..,"status":..}}}. */
    @Override
    public String describeHttpError(int status, String bodyStart, JsonProvider json) {
        return HttpErrorText.describeDetailFirst(status, bodyStart, json,
                body -> DialectSupport.object(body, "error").flatMap(GeminiDialect::errorText));
    }

    /** {@code <status>: <message>}, or whichever is there. */
    static Optional<String> errorText(JsonObject error) {
        Optional<String> status = DialectSupport.string(error, "status");
        Optional<String> message = DialectSupport.string(error, "message");
        if (status.isPresent() && message.isPresent()) {
            return Optional.of(status.get() + ": " + message.get());
        }
        return message.or(() -> status);
    }
}
