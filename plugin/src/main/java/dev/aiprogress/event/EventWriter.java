package dev.aiprogress.event;

import java.util.List;

/**
 * Writes a {@link ProgressEvent} as JSON without reflection, byte for byte what {@link EventJson}
 * (JSON-B: Yasson + Parsson) writes: declaration order, snake_case keys, nulls omitted, and
 * Parsson's escaping — {@code "} and {@code \} backslash-escaped, {@code \b \f \n \r \t} short,
 * other characters below U+0020 as {@code \}{@code u00xx} with lower-case hex, everything else
 * (including {@code /}, U+007F, U+2028/U+2029 and surrogates) written as it is. UTF-8 output encodes
 * a lone surrogate as {@code ?}, like {@link String#getBytes(java.nio.charset.Charset)} and JSON-B
 * writing to a stream.
 *
 * <p>Why it exists: docs/PERFORMANCE.md, T11 (one event to JSON + UTF-8 in ≤ 0.5 µs with ≤ 256 B garbage).
 * {@link #toUtf8} allocates only the exactly-sized result; {@link #writeUtf8} and
 * {@link #appendJson} allocate nothing. {@code EventWriterPropertyTest} proves the identity with
 * JSON-B over random events; a new {@link ProgressEvent} field must be added here in the same order.
 */
public final class EventWriter {

    private EventWriter() {
    }

    /** The event as JSON text. */
    public static String toJson(ProgressEvent event) {
        StringBuilder out = new StringBuilder(160 + length(event.text()) + length(event.reasoning())
                + length(event.message()));
        appendJson(event, out);
        return out.toString();
    }

    /** Appends the event's JSON to {@code out} (reuse one builder to write without garbage). */
    public static StringBuilder appendJson(ProgressEvent event, StringBuilder out) {
        write(event, new CharSink(out));
        return out;
    }

    /** The event as UTF-8 JSON in an array of exactly the right size (the only allocation). */
    public static byte[] toUtf8(ProgressEvent event) {
        byte[] bytes = new byte[utf8Length(event)];
        writeUtf8(event, bytes, 0);
        return bytes;
    }

    /** How many bytes {@link #writeUtf8} writes for this event. */
    public static int utf8Length(ProgressEvent event) {
        Utf8Counter counter = new Utf8Counter();
        write(event, counter);
        return counter.length;
    }

    /**
     * Writes the event as UTF-8 JSON into {@code dest} from {@code offset}; {@code dest} must hold
     * {@link #utf8Length} bytes from there (else {@link ArrayIndexOutOfBoundsException}).
     *
     * @return the offset just past the last byte written
     */
    public static int writeUtf8(ProgressEvent event, byte[] dest, int offset) {
        Utf8ArrayWriter writer = new Utf8ArrayWriter(dest, offset);
        write(event, writer);
        return writer.position;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    /** The one place that knows the field order; mirrors ProgressEvent's declaration order. */
    private static void write(ProgressEvent e, Sink out) {
        out.ascii("{\"type\":\"");
        out.ascii(e.type().wireName());
        out.ascii("\"");
        stringField(out, ",\"text\":", e.text());
        if (e.partial() != null) {
            out.ascii(e.partial() ? ",\"partial\":true" : ",\"partial\":false");
        }
        stringField(out, ",\"message\":", e.message());
        stringField(out, ",\"task_id\":", e.taskId());
        out.ascii(",\"seq\":");
        out.number(e.seq());
        stringField(out, ",\"timestamp\":", e.timestamp());
        stringField(out, ",\"reasoning\":", e.reasoning());
        ProgressEvent.Usage usage = e.usage();
        if (usage != null) {
            out.ascii(",\"usage\":{\"input_tokens\":");
            out.number(usage.inputTokens());
            out.ascii(",\"output_tokens\":");
            out.number(usage.outputTokens());
            out.ascii(",\"total_tokens\":");
            out.number(usage.totalTokens());
            numberField(out, ",\"reasoning_tokens\":", usage.reasoningTokens());
            out.ascii("}");
        }
        stringField(out, ",\"provider\":", e.provider());
        stringField(out, ",\"model\":", e.model());
        stringField(out, ",\"finish_reason\":", e.finishReason());
        numberField(out, ",\"duration_ms\":", e.durationMs());
        numberField(out, ",\"reasoning_ms\":", e.reasoningMs());
        ProgressEvent.ToolInfo tool = e.tool();
        if (tool != null) {
            out.ascii(",\"tool\":{\"id\":");
            out.string(tool.id());
            out.ascii(",\"name\":");
            out.string(tool.name());
            out.ascii(",\"arguments\":");
            out.string(tool.arguments());
            out.ascii("}");
        }
        List<String> warnings = e.warnings();
        if (warnings != null) {
            out.ascii(",\"warnings\":[");
            for (int i = 0; i < warnings.size(); i++) {
                if (i > 0) {
                    out.ascii(",");
                }
                out.string(warnings.get(i));
            }
            out.ascii("]");
        }
        stringField(out, ",\"error\":", e.error());
        stringField(out, ",\"code\":", e.code());
        out.ascii("}");
    }

    private static void stringField(Sink out, String key, String value) {
        if (value != null) {
            out.ascii(key);
            out.string(value);
        }
    }

    private static void numberField(Sink out, String key, Long value) {
        if (value != null) {
            out.ascii(key);
            out.number(value);
        }
    }

    /** True for the characters JSON-B (Parsson) escapes: quote, backslash, below U+0020. */
    static boolean needsEscape(char c) {
        return c < 0x20 || c == '"' || c == '\\';
    }

    /** The short escape letter of {@code c}, or 0 when it gets a {@code \}{@code u00xx} escape. */
    static char shortEscape(char c) {
        return switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\f' -> 'f';
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\t' -> 't';
            default -> 0;
        };
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Where the JSON goes; three kinds so the field order is written once. */
    private abstract static class Sink {
        /** Text that needs no escaping and is pure ASCII (keys, punctuation, type names). */
        abstract void ascii(String s);

        /** A JSON string literal: quotes and escapes added. */
        abstract void string(String s);

        abstract void number(long value);
    }

    private static final class CharSink extends Sink {
        private final StringBuilder out;

        CharSink(StringBuilder out) {
            this.out = out;
        }

        @Override
        void ascii(String s) {
            out.append(s);
        }

        @Override
        void string(String s) {
            out.append('"');
            int runStart = 0;
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (needsEscape(c)) {
                    out.append(s, runStart, i);
                    runStart = i + 1;
                    char letter = shortEscape(c);
                    if (letter != 0) {
                        out.append('\\').append(letter);
                    } else {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    }
                }
            }
            out.append(s, runStart, s.length());
            out.append('"');
        }

        @Override
        void number(long value) {
            out.append(value);
        }
    }

    private static final class Utf8Counter extends Sink {
        int length;

        @Override
        void ascii(String s) {
            length += s.length();
        }

        @Override
        void string(String s) {
            int count = 2;
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    count += needsEscape(c) ? (shortEscape(c) != 0 ? 2 : 6) : 1;
                } else if (c < 0x800) {
                    count += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    count += 4;
                    i++;
                } else if (Character.isSurrogate(c)) {
                    count += 1; // lone surrogate: '?'
                } else {
                    count += 3;
                }
            }
            length += count;
        }

        @Override
        void number(long value) {
            length += digits(value);
        }
    }

    private static final class Utf8ArrayWriter extends Sink {
        private final byte[] buf;
        int position;

        Utf8ArrayWriter(byte[] buf, int offset) {
            this.buf = buf;
            this.position = offset;
        }

        @Override
        void ascii(String s) {
            int p = position;
            for (int i = 0, n = s.length(); i < n; i++) {
                buf[p++] = (byte) s.charAt(i);
            }
            position = p;
        }

        @Override
        void string(String s) {
            byte[] b = buf;
            int p = position;
            b[p++] = '"';
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (!needsEscape(c)) {
                        b[p++] = (byte) c;
                    } else {
                        b[p++] = '\\';
                        char letter = shortEscape(c);
                        if (letter != 0) {
                            b[p++] = (byte) letter;
                        } else {
                            b[p++] = 'u';
                            b[p++] = '0';
                            b[p++] = '0';
                            b[p++] = (byte) HEX[c >> 4];
                            b[p++] = (byte) HEX[c & 0xF];
                        }
                    }
                } else if (c < 0x800) {
                    b[p++] = (byte) (0xC0 | (c >> 6));
                    b[p++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    b[p++] = '?';
                } else {
                    b[p++] = (byte) (0xE0 | (c >> 12));
                    b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            b[p++] = '"';
            position = p;
        }

        @Override
        void number(long value) {
            if (value == Long.MIN_VALUE) {
                ascii("-9223372036854775808");
                return;
            }
            int end = position + digits(value);
            int p = end;
            long v = value;
            if (v < 0) {
                buf[position] = '-';
                v = -v;
            }
            do {
                buf[--p] = (byte) ('0' + (v % 10));
                v /= 10;
            } while (v != 0);
            position = end;
        }
    }

    /** Characters of {@code Long.toString(value)}, without building it. */
    static int digits(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int count = 1;
        long v = value;
        if (v < 0) {
            count++;
            v = -v;
        }
        while (v >= 10) {
            v /= 10;
            count++;
        }
        return count;
    }
}
