package dev.aiprogress.provider.sse;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Locale;
import java.util.Optional;

/**
 * Helpers every dialect's {@code describeHttpError} shares: one short sentence from the start of a
 * non-2xx body, whatever the upstream (or a proxy in front of it) sent.
 */
public final class HttpErrorText {

    /** Longest piece of upstream text quoted in a message. */
    public static final int MAX_QUOTED_CHARS = 200;

    private HttpErrorText() {
    }

    /**
     * The usual description: the JSON error message ({@link #jsonErrorMessage}), else an HTML note,
     * else the first line of text; always naming the status.
     */
    public static String describe(int status, String bodyStart, JsonProvider json) {
        String prefix = "upstream returned HTTP " + status;
        if (looksLikeHtml(bodyStart)) {
            return "upstream returned an HTML error page (HTTP " + status + ")";
        }
        Optional<String> fromJson = parseObject(bodyStart, json).flatMap(HttpErrorText::jsonErrorMessage);
        if (fromJson.isPresent()) {
            return prefix + ": " + fromJson.get();
        }
        String line = firstLine(bodyStart);
        return line.isEmpty() ? prefix : prefix + ": " + line;
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
    public static Optional<JsonObject> parseObject(String text, JsonProvider json) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
            return Optional.empty();
        }
        try (JsonReader reader = json.createReader(new StringReader(trimmed))) {
            JsonStructure structure = reader.read();
            if (structure instanceof JsonObject object) {
                return Optional.of(object);
            }
            if (structure instanceof JsonArray array && !array.isEmpty() && array.get(0) instanceof JsonObject first) {
                return Optional.of(first);
            }
            return Optional.empty();
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    public static boolean looksLikeHtml(String body) {
        String head = body.stripLeading();
        head = head.substring(0, Math.min(head.length(), 64)).toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head")
                || head.startsWith("<body") || head.startsWith("<?xml") && body.toLowerCase(Locale.ROOT).contains("<html");
    }

    /** The first non-blank line, clipped to {@link #MAX_QUOTED_CHARS}. */
    public static String firstLine(String body) {
        for (String line : body.split("\r\n|\r|\n")) {
            if (!line.isBlank()) {
                return clip(line.strip());
            }
        }
        return "";
    }

    public static String clip(String text) {
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
