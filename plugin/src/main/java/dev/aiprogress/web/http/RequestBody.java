package dev.aiprogress.web.http;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import jakarta.servlet.http.HttpServletRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request body read under a byte limit and turned into one JSON object, whatever its form:
 * a JSON object, or {@code application/x-www-form-urlencoded} fields (Frappe style; values stay
 * strings and the field readers decode JSON-in-a-string where a structure is expected).
 * Reading stops as soon as the limit is passed: nothing is buffered beyond it.
 */
public final class RequestBody {

    private final int maxBytes;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** An empty body that accepts up to {@code maxBytes}; feed it with {@link #append} (e.g. from a ReadListener). */
    public RequestBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Refuses early when the declared length is already too large. */
    public void checkDeclaredLength(long contentLength) {
        if (contentLength > maxBytes) {
            throw tooLarge();
        }
    }

    public void append(byte[] buffer, int offset, int length) {
        if (bytes.size() + (long) length > maxBytes) {
            throw tooLarge();
        }
        bytes.write(buffer, offset, length);
    }

    private FrappeError tooLarge() {
        return FrappeError.tooLarge("request body is larger than " + maxBytes + " bytes (ai-progress.limits.max-body-bytes)");
    }

    /** Blocking read of the whole body (the servlet may instead {@link #append} from non-blocking reads). */
    public static RequestBody read(HttpServletRequest request, int maxBytes) throws IOException {
        RequestBody body = new RequestBody(maxBytes);
        body.checkDeclaredLength(request.getContentLengthLong());
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                body.append(buffer, 0, n);
            }
        }
        return body;
    }

    public int size() {
        return bytes.size();
    }

    /** The body as one object, by content type: form-encoded or JSON (the default). */
    public JsonObject toJsonObject(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return formToObject(bytes.toString(StandardCharsets.UTF_8));
        }
        return parseObject(bytes.toByteArray(), "request body");
    }

    /** The deepest nesting of arrays and objects a request may have; real chat bodies use fewer than 10. */
    static final int MAX_DEPTH = 64;

    /** How deep {@code [} and {@code {} nest outside strings (a scan of the bytes, before any parser sees them). */
    static int nestingDepth(byte[] json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '[' || b == '{') {
                max = Math.max(max, ++depth);
            } else if (b == ']' || b == '}') {
                depth--;
            }
        }
        return max;
    }

    /** Parses a JSON object; errors say where: {@code <what> is not valid JSON: line 1, column 9}. */
    static JsonObject parseObject(byte[] json, String what) {
        if (json.length == 0) {
            throw FrappeError.badRequest(what + " is empty; send a JSON object");
        }
        if (nestingDepth(json) > MAX_DEPTH) {
            // checked before parsing: parsers fail on deep input in their own ways (Parsson: a bare RuntimeException)
            throw FrappeError.badRequest(what + " is nested deeper than " + MAX_DEPTH + " levels");
        }
        // a parser, not a reader: a reader accepts {...}xyz and a second document after the first,
        // and answers null or "hi" with a bare "Internal Error"
        String text = new String(json, StandardCharsets.UTF_8);
        try (JsonParser parser = WebJson.PARSERS.createParser(new java.io.StringReader(text))) {
            JsonParser.Event first = parser.next();
            if (first != JsonParser.Event.START_OBJECT) {
                throw FrappeError.badRequest(what + " must be a JSON object, not " + describe(first));
            }
            JsonObject object = parser.getObject();
            // only whitespace may follow: parsers stop at the end of the first value and would
            // silently accept {...}xyz or a second document (and their locations count read-ahead)
            for (int i = endOfFirstObject(text) + 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    throw FrappeError.badRequest(what + " has more after its JSON object (from " + lineAndColumn(text, i)
                            + "): send exactly one JSON object");
                }
            }
            return object;
        } catch (JsonParsingException e) {
            throw FrappeError.badRequest(what + " is not valid JSON: " + where(e, text.length()));
        } catch (JsonException | java.util.NoSuchElementException e) {
            throw FrappeError.badRequest(what + " is not valid JSON: it ends before the JSON is complete");
        }
    }

    /** The index of the {@code }} closing the object that starts the (valid) text: a scan that skips strings. */
    private static int endOfFirstObject(String text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i;
            }
        }
        return text.length() - 1;
    }

    private static String lineAndColumn(String text, int index) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (index - lineStart + 1);
    }

    private static String describe(JsonParser.Event event) {
        return switch (event) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "something else";
        };
    }

    /** {@code line L, column C}; at the end of input parsers report buffer positions, so say "it ends early". */
    static String where(JsonParsingException e, long inputLength) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getStreamOffset() >= inputLength || location.getStreamOffset() < 0) {
            return "it ends before the JSON is complete";
        }
        return "line " + location.getLineNumber() + ", column " + location.getColumnNumber();
    }

    private static JsonObject formToObject(String form) {
        JsonObjectBuilder out = WebJson.BUILDERS.createObjectBuilder();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.add(name, value);
            } catch (IllegalArgumentException e) {
                throw FrappeError.badRequest("request body is not valid form encoding near '"
                        + pair.substring(0, Math.min(pair.length(), 20)) + "'");
            }
        }
        return out.build();
    }
}
