package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.DialectSupport;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One short, key-free sentence from the start of a non-2xx body, whatever the upstream (or a proxy
 * in front of it) sent: the provider's own error message when its JSON has one, a fixed sentence
 * for HTML pages, else the body's first line, clipped to {@value #MAX_QUOTED_CHARS} characters.
 *
 * <p>Two phrasings, because clients already match them: the OpenAI-compatible dialect leads with
 * the status ({@link #describe(int, String, JsonProvider)}), the native dialects lead with the
 * upstream's words ({@link #describeDetailFirst}). Both read the body the same way.
 */
public final class HttpErrorText {

    /** Longest piece of upstream text quoted in a message. */
    public static final int MAX_QUOTED_CHARS = 200;

    private HttpErrorText() {
    }

    /**
     * {@code upstream returned HTTP <status>: <detail>}, the detail read by {@link #jsonErrorMessage};
     * just the status for an empty body.
     */
    public static String describe(int status, String bodyStart, JsonProvider json) {
        if (looksLikeHtml(bodyStart)) {
            return htmlPage(status);
        }
        String prefix = "upstream returned HTTP " + status;
        return detail(bodyStart, json, HttpErrorText::jsonErrorMessage).map(d -> prefix + ": " + d).orElse(prefix);
    }

    /**
     * {@code <detail> (HTTP <status>)}, the detail read from the body's JSON by the dialect's
     * {@code reader} (it gets the object, or the first object of an array).
     */
    public static String describeDetailFirst(int status, String bodyStart, JsonProvider json,
                                             Function<JsonObject, Optional<String>> reader) {
        if (bodyStart.isBlank()) {
            return "upstream returned HTTP " + status + " with an empty body";
        }
        if (looksLikeHtml(bodyStart)) {
            return htmlPage(status);
        }
        return detail(bodyStart, json, reader).map(d -> d + " (HTTP " + status + ")")
                .orElse("upstream returned HTTP " + status);
    }

    /** What {@code reader} finds in the JSON body, else the first non-blank line; clipped. Empty for a blank body. */
    private static Optional<String> detail(String bodyStart, JsonProvider json, Function<JsonObject, Optional<String>> reader) {
        Optional<String> fromJson = parseObject(bodyStart, json).flatMap(reader).filter(d -> !d.isBlank());
        if (fromJson.isPresent()) {
            return Optional.of(clip(fromJson.get()));
        }
        String line = firstLine(bodyStart);
        return line.isEmpty() ? Optional.empty() : Optional.of(line);
    }

    private static String htmlPage(int status) {
        return "upstream returned an HTML error page (HTTP " + status + ")";
    }

    /**
     * The message of the common JSON error shapes: {@code {"error":{"message":...}}},
     * {@code {"error":"..."}}, {@code {"message":...}}, {@code {"detail":...}}; clipped.
     */
    public static Optional<String> jsonErrorMessage(JsonObject body) {
        JsonValue error = body.get("error");
        if (error instanceof JsonObject object) {
            Optional<String> message = stringField(object, "message");
            if (message.isPresent()) {
                return message;
            }
        }
        if (error instanceof JsonString text && !text.getString().isBlank()) {
            return Optional.of(clip(text.getString()));
        }
        return stringField(body, "message").or(() -> stringField(body, "detail"));
    }

    /**
     * The body parsed as a JSON object, when it is one (a cut-off body is not); a JSON array's first
     * object counts too (Gemini's non-SSE endpoint wraps its error in {@code [...]}).
     */
    private static Optional<JsonObject> parseObject(String text, JsonProvider json) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
            return Optional.empty();
        }
        return DialectSupport.tryParse(json, trimmed).flatMap(HttpErrorText::firstObject);
    }

    private static Optional<JsonObject> firstObject(JsonValue value) {
        if (value instanceof JsonObject object) {
            return Optional.of(object);
        }
        if (value instanceof JsonArray array && !array.isEmpty() && array.get(0) instanceof JsonObject first) {
            return Optional.of(first);
        }
        return Optional.empty();
    }

    /** Markup that starts like a page ({@code <!DOCTYPE html>}, {@code <html>}, or any tag with a head or body in it). */
    private static boolean looksLikeHtml(String body) {
        String text = body.strip().toLowerCase(Locale.ROOT);
        return text.startsWith("<") && (text.contains("<html") || text.contains("<!doctype html")
                || text.contains("<body") || text.contains("<head"));
    }

    /** The first non-blank line, clipped to {@link #MAX_QUOTED_CHARS}. */
    private static String firstLine(String body) {
        for (String line : body.split("\r\n|\r|\n")) {
            if (!line.isBlank()) {
                return clip(line.strip());
            }
        }
        return "";
    }

    private static String clip(String text) {
        String oneLine = text.strip().replaceAll("[\\r\\n]+", " ");
        if (oneLine.length() <= MAX_QUOTED_CHARS) {
            return oneLine;
        }
        int end = MAX_QUOTED_CHARS;
        if (Character.isHighSurrogate(oneLine.charAt(end - 1))) {
            end--;
        }
        return oneLine.substring(0, end) + "…";
    }

    private static Optional<String> stringField(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (value instanceof JsonString text && !text.getString().isBlank()) {
            return Optional.of(clip(text.getString()));
        }
        return Optional.empty();
    }
}
