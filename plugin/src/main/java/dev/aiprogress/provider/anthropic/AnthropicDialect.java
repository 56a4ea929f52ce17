package dev.aiprogress.provider.anthropic;

import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.DialectSupport;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.UpstreamCall;
import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.provider.sse.HttpErrorText;
import jakarta.json.spi.JsonProvider;

import java.util.Map;
import java.util.Optional;

/**
 * Anthropic Messages API ({@code POST {base}/v1/messages}, SSE with event names). The request
 * shape is {@link AnthropicRequestBody}; the stream is read by {@link AnthropicFrameParser}.
 */
public final class AnthropicDialect implements WireDialect {

    public static final String NAME = "anthropic";
    public static final String API_VERSION = "2023-06-01";

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
        Map<String, String> headers = DialectSupport.keyHeader(settings, "x-api-key", "");
        headers.put("anthropic-version", API_VERSION);
        return new UpstreamCall("/v1/messages", headers, AnthropicRequestBody.build(request, json).toString());
    }

    @Override
    public FrameParser newParser(ChatRequest request, JsonProvider json) {
        return new AnthropicFrameParser(json);
    }

    /** Reads {@code {"type":"error","error":{"type":..,"message":..}}}. */
    @Override
    public String describeHttpError(int status, String bodyStart, JsonProvider json) {
        return HttpErrorText.describeDetailFirst(status, bodyStart, json,
                body -> DialectSupport.object(body, "error").flatMap(AnthropicDialect::errorText));
    }

    /** {@code <type>: <message>}, or whichever of the two is there. */
    static Optional<String> errorText(jakarta.json.JsonObject error) {
        Optional<String> type = DialectSupport.string(error, "type");
        Optional<String> message = DialectSupport.string(error, "message");
        if (type.isPresent() && message.isPresent()) {
            return Optional.of(type.get() + ": " + message.get());
        }
        return message.or(() -> type);
    }
}
