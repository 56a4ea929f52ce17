package dev.aiprogress.provider;

import dev.aiprogress.provider.FrameParser.StreamFailure;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonNumber;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the wire dialects share: reading JSON frames, describing HTTP error bodies, splitting
 * {@code data:} image URLs and finding the tool name behind a tool result. Stateless.
 */
public final class DialectSupport {

    /** Longest detail taken from an error body. */
    public static final int MAX_ERROR_DETAIL = 200;

    private DialectSupport() {
    }

    /** Parses one frame that must be a JSON object; anything else is a {@link ProviderFailure.Kind#MALFORMED} failure. */
    public static JsonObject parseObject(JsonProvider json, String data, String dialect) throws StreamFailure {
        // Closed so the reader gives its char buffer back to the provider's pool: unclosed, Parsson
        // allocates a fresh 8 KB buffer for every frame.
        try (JsonReader reader = json.createReader(new StringReader(data))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject o) {
                return o;
            }
        } catch (JsonException e) {
            // reported below, without the frame text (it may hold user content)
        }
        throw failure(ProviderFailure.Kind.MALFORMED, dialect + " sent a frame that is not a JSON object");
    }

    /** Parses JSON text; empty when it is not valid JSON. */
    public static Optional<JsonValue> tryParse(JsonProvider json, String text) {
        try (JsonReader reader = json.createReader(new StringReader(text))) {
            return Optional.of(reader.readValue());
        } catch (JsonException e) {
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

    /**
     * A short sentence for a non-2xx reply: the provider's own error text when {@code reader} finds
     * it in a JSON body, a fixed sentence for HTML pages, else the body's first line (at most
     * {@value #MAX_ERROR_DETAIL} characters). The status is always named.
     */
    public static String describeHttpError(int status, String bodyStart, JsonProvider json,
                                           Function<JsonObject, Optional<String>> reader) {
        String body = bodyStart.strip();
        if (body.isEmpty()) {
            return "upstream returned HTTP " + status + " with an empty body";
        }
        if (body.startsWith("{") || body.startsWith("[")) {
            Optional<String> detail = tryParse(json, body).flatMap(DialectSupport::errorObject).flatMap(reader);
            if (detail.isPresent() && !detail.get().isBlank()) {
                return cap(detail.get().strip()) + " (HTTP " + status + ")";
            }
        } else if (isHtml(body)) {
            return "upstream returned an HTML error page (HTTP " + status + ")";
        }
        int eol = firstLineEnd(body);
        return cap(body.substring(0, eol).strip()) + " (HTTP " + status + ")";
    }

    private static boolean isHtml(String body) {
        String lower = body.toLowerCase(Locale.ROOT);
        return lower.startsWith("<") && (lower.contains("<html") || lower.contains("<!doctype html")
                || lower.contains("<body") || lower.contains("<head"));
    }

    /** An error body is an object, or (Gemini without {@code alt=sse}) an array holding one. */
    private static Optional<JsonObject> errorObject(JsonValue v) {
        if (v instanceof JsonObject o) {
            return Optional.of(o);
        }
        if (v instanceof JsonArray a && !a.isEmpty() && a.get(0) instanceof JsonObject o) {
            return Optional.of(o);
        }
        return Optional.empty();
    }

    private static int firstLineEnd(String s) {
        int n = s.indexOf('\n');
        int r = s.indexOf('\r');
        if (n < 0) {
            return r < 0 ? s.length() : r;
        }
        return r < 0 ? n : Math.min(n, r);
    }

    private static String cap(String s) {
        if (s.length() <= MAX_ERROR_DETAIL) {
            return s;
        }
        int end = MAX_ERROR_DETAIL;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
