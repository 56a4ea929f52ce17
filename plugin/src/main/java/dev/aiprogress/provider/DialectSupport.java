package dev.aiprogress.provider;

import dev.aiprogress.provider.FrameParser.StreamFailure;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonNumber;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the wire dialects share: reading JSON frames, describing HTTP error bodies, splitting
 * {@code data:} image URLs and finding the tool name behind a tool result. Stateless.
 */
public final class DialectSupport {

    private DialectSupport() {
    }

    /** Parses one frame that must be a JSON object; anything else is a {@link ProviderFailure.Kind#MALFORMED} failure. */
    public static JsonObject parseObject(JsonProvider json, String data, String dialect) throws StreamFailure {
        // the frame text is left out of the message: it may hold user content
        if (tryParse(json, data).orElse(null) instanceof JsonObject o) {
            return o;
        }
        throw failure(ProviderFailure.Kind.MALFORMED, dialect + " sent a frame that is not a JSON object");
    }

    /** Parses JSON text; empty when it is not valid JSON. */
    public static Optional<JsonValue> tryParse(JsonProvider json, String text) {
        // closed so the reader gives its char buffer back to the provider's pool: unclosed, Parsson
        // allocates a fresh 8 KB buffer for every frame
        try (JsonReader reader = json.createReader(new StringReader(text))) {
            return Optional.of(reader.readValue());
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses JSON text that must be an object (tool arguments, tool schemas from the request).
     *
     * @throws IllegalArgumentException naming {@code what} when it is not
     */
    public static JsonObject requireObject(JsonProvider json, String text, String what) {
        Optional<JsonValue> value = text.isBlank() ? Optional.of(JsonValue.EMPTY_JSON_OBJECT) : tryParse(json, text);
        if (value.isPresent() && value.get() instanceof JsonObject o) {
            return o;
        }
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    public static StreamFailure failure(ProviderFailure.Kind kind, String message) {
        return new StreamFailure(ProviderFailure.of(kind, message));
    }

    /** The string at {@code key}; empty when absent, JSON null or not a string. */
    public static Optional<String> string(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    /** The object at {@code key}; empty when absent or not an object. */
    public static Optional<JsonObject> object(JsonObject o, String key) {
        return o.get(key) instanceof JsonObject v ? Optional.of(v) : Optional.empty();
    }

    /** The whole number at {@code key}; {@code fallback} when absent or not a number. */
    public static long number(JsonObject o, String key, long fallback) {
        return o.get(key) instanceof JsonNumber n ? n.longValue() : fallback;
    }

    /**
     * The header carrying the API key ({@code name: prefix + key}); none when no key, or a blank one,
     * is configured (a local server gets no auth header at all). Mutable and ordered, for dialects
     * that add more headers.
     */
    public static Map<String, String> keyHeader(ProviderSettings settings, String name, String prefix) {
        Map<String, String> headers = new LinkedHashMap<>();
        settings.apiKey().filter(key -> !key.isBlank()).ifPresent(key -> headers.put(name, prefix + key));
        return headers;
    }

    /** A {@code data:<mime>;base64,<data>} URL taken apart. */
    public record DataUrl(String mimeType, String base64Data) {
    }

    /**
     * Splits a base64 {@code data:} URL; empty for any other URL.
     *
     * @throws IllegalArgumentException for a {@code data:} URL that is not base64
     */
    public static Optional<DataUrl> dataUrl(String url) {
        if (!url.regionMatches(true, 0, "data:", 0, 5)) {
            return Optional.empty();
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !header.toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw new IllegalArgumentException("image data URL must be base64 encoded (data:<type>;base64,...)");
        }
        String mime = header.substring(0, header.length() - ";base64".length());
        return Optional.of(new DataUrl(mime.isEmpty() ? "application/octet-stream" : mime, url.substring(comma + 1)));
    }

    /** Tool call id → tool name, from the assistant messages of the history (Gemini and Ollama name tool results). */
    public static Map<String, String> toolNamesById(List<ChatMessage> messages) {
        Map<String, String> names = new HashMap<>();
        for (ChatMessage m : messages) {
            for (ChatMessage.ToolCallRef call : m.toolCalls()) {
                names.put(call.id(), call.name());
            }
        }
        return names;
    }

    /** SYSTEM messages' text joined with a blank line; empty when there are none. */
    public static String systemText(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            if (m.role() == ChatMessage.Role.SYSTEM && !m.text().isEmpty()) {
                if (sb.length() > 0) {
                    sb.append("\n\n");
                }
                sb.append(m.text());
            }
        }
        return sb.toString();
    }
}
