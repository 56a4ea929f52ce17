package dev.aiprogress.realtime;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import java.io.StringReader;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Reads the few JSON messages clients send (the Socket.IO CONNECT {@code auth}, client events, the
 * plain endpoint's actions) with JSON-P, strictly: exactly one RFC 8259 value filling the whole
 * text, nested at most {@value #MAX_DEPTH} deep; anything else is refused, and the decoders built on
 * it fail closed. Only client frames pass here, never the per-chunk path. JSON-P is an API, not a
 * container: the protocol cores that use this stay plain Java.
 */
public final class ClientJson {

    /** Deeper than any message of the protocol: a deeper one is an attack, refused before it costs a stack. */
    static final int MAX_DEPTH = 32;

    private ClientJson() {
    }

    /**
     * The factories, looked up once: every {@code Json.create…} runs a {@code ServiceLoader} lookup.
     * Loaded on first use; {@link #warmUp} makes that the deploying thread, whose context class
     * loader sees the application's JSON-P implementation.
     */
    private static final class Factories {
        static final JsonProvider PROVIDER = JsonProvider.provider();
        static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());
        static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    }

    /** Looks the JSON-P implementation up now (at deployment) rather than on a socket's first message. */
    public static void warmUp() {
        parse("{}");
    }

    /** The one JSON value that fills {@code text}; empty when the text is anything else. */
    public static Optional<JsonValue> parse(String text) {
        try (JsonParser parser = Factories.PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                return Optional.empty();
            }
            JsonValue value = value(parser, parser.next(), 0);
            return parser.hasNext() ? Optional.empty() : Optional.of(value);
        } catch (JsonException | IllegalStateException | NoSuchElementException | NumberFormatException e) {
            // bad text (JsonParsingException), a tree too deep, a number BigDecimal cannot hold (1e9999999999)
            return Optional.empty();
        }
    }

    /** The string member {@code name}, if {@code value} is an object holding a string there. */
    public static Optional<String> string(JsonValue value, String name) {
        if (value instanceof JsonObject object && object.get(name) instanceof JsonString s) {
            return Optional.of(s.getString());
        }
        return Optional.empty();
    }

    /** The member {@code name} when it is a whole number written without fraction or exponent, within {@code long}. */
    public static Optional<Long> wholeNumber(JsonValue value, String name) {
        if (value instanceof JsonObject object && object.get(name) instanceof JsonNumber n) {
            String written = n.toString();
            if (written.indexOf('.') < 0 && written.indexOf('e') < 0 && written.indexOf('E') < 0) {
                try {
                    return Optional.of(n.longValueExact());
                } catch (ArithmeticException tooLarge) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static JsonValue value(JsonParser parser, JsonParser.Event event, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("nested too deep");
        }
        return switch (event) {
            case START_OBJECT -> object(parser, depth);
            case START_ARRAY -> array(parser, depth);
            case VALUE_STRING, VALUE_NUMBER, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> parser.getValue();
            default -> throw new IllegalStateException("unexpected " + event);
        };
    }

    private static JsonObject object(JsonParser parser, int depth) {
        JsonObjectBuilder object = Factories.BUILDERS.createObjectBuilder();
        for (JsonParser.Event e = parser.next(); e != JsonParser.Event.END_OBJECT; e = parser.next()) {
            String name = parser.getString(); // e is KEY_NAME: the parser allows nothing else here
            object.add(name, value(parser, parser.next(), depth + 1));
        }
        return object.build();
    }

    private static JsonValue array(JsonParser parser, int depth) {
        JsonArrayBuilder array = Factories.BUILDERS.createArrayBuilder();
        for (JsonParser.Event e = parser.next(); e != JsonParser.Event.END_ARRAY; e = parser.next()) {
            array.add(value(parser, e, depth + 1));
        }
        return array.build();
    }
}
