package dev.aiprogress.realtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict, small JSON reader and string quoter for the few client messages the realtime side
 * reads (CONNECT auth, client events, plain-endpoint actions). Plain Java so that {@code socketio}
 * stays free of container APIs. Objects become {@code Map<String,Object>}, arrays {@code List},
 * numbers {@code Double}/{@code Long}, {@code null} becomes {@link #NULL}. Anything not RFC 8259
 * JSON is refused: the decoders built on it fail closed.
 */
public final class JsonText {

    /** JSON {@code null}, so that no Java null leaves this class. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final int MAX_DEPTH = 32;

    private final String s;
    private int i;

    private JsonText(String s) {
        this.s = s;
    }

    /** Parses one JSON value filling the whole text; empty when the text is not exactly that. */
    public static Optional<Object> parse(String text) {
        JsonText p = new JsonText(text);
        try {
            p.ws();
            Object v = p.value(0);
            p.ws();
            return p.i == text.length() ? Optional.of(v) : Optional.empty();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** The string member {@code key} of a JSON object, if the value is an object holding a string there. */
    public static Optional<String> stringMember(Object object, String key) {
        if (object instanceof Map<?, ?> map && map.get(key) instanceof String value) {
            return Optional.of(value);
        }
        return Optional.empty();
    }

    /** The integral number member {@code key}, if present and integral. */
    public static Optional<Long> longMember(Object object, String key) {
        if (object instanceof Map<?, ?> map && map.get(key) instanceof Long value) {
            return Optional.of(value);
        }
        return Optional.empty();
    }

    /** {@code value} as a JSON string literal, quotes included. */
    public static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("too deep");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                return number();
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        i++;
        ws();
        if (s.charAt(i) == '}') {
            i++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            ws();
            if (s.charAt(i) != '"') {
                throw new IllegalArgumentException("key");
            }
            String key = string();
            ws();
            expect(':');
            ws();
            map.put(key, value(depth + 1));
            ws();
            char c = s.charAt(i++);
            if (c == '}') {
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                throw new IllegalArgumentException("object");
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        i++;
        ws();
        if (s.charAt(i) == ']') {
            i++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            ws();
            list.add(value(depth + 1));
            ws();
            char c = s.charAt(i++);
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                throw new IllegalArgumentException("array");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("escape");
            }
        }
    }

    private Object number() {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else {
            digits();
        }
        boolean integral = true;
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            digits();
            integral = false;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (s.charAt(i) == '+' || s.charAt(i) == '-') {
                i++;
            }
            digits();
            integral = false;
        }
        String text = s.substring(start, i);
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooBig) {
                return Double.parseDouble(text);
            }
        }
        return Double.parseDouble(text);
    }

    private void digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == start) {
            throw new IllegalArgumentException("digits");
        }
    }

    private Object literal(String word, Object value) {
        if (!s.startsWith(word, i)) {
            throw new IllegalArgumentException("literal");
        }
        i += word.length();
        return value;
    }

    private void expect(char c) {
        if (s.charAt(i++) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }
}
