package dev.aiprogress.event;

import java.util.List;

/**
 * Writes a {@link ProgressEvent} as JSON without reflection, byte for byte what {@link EventJson}
 * (JSON-B: Yasson + Parsson) writes: declaration order, snake_case keys, nulls omitted, and
 * Parsson's escaping — {@code "} and {@code \} backslash-escaped, {@code \b \f \n \r \t} short,
 * other characters below U+0020 as {@code \}{@code u00xx} with lower-case hex, everything else
 * (including {@code /}, U+007F, U+2028/U+2029 and surrogates) written as it is. The product sends
 * Strings; their UTF-8 ({@link String#getBytes(java.nio.charset.Charset)}, a lone surrogate becoming
 * {@code ?}) is what JSON-B writes to a stream.
 *
 * <p>Why it exists: docs/PERFORMANCE.md, T11 (one event to JSON + UTF-8 in ≤ 0.5 µs with ≤ 256 B garbage),
 * measured as {@code toJson(e).getBytes(UTF_8)}. {@link #appendJson} into a reused builder allocates
 * nothing. {@code EventWriterPropertyTest} proves the identity with JSON-B over random events; a new
 * {@link ProgressEvent} field must be added here in the same order.
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

    /**
     * {@code value} as a JSON string literal, quotes included, escaped exactly as event texts are
     * (the realtime side writes its few hand-made frames, such as Socket.IO ids, with it).
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        new CharSink(out).string(value);
        return out.toString();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    /** The one place that knows the field order; mirrors ProgressEvent's declaration order. */
    private static void write(ProgressEvent e, CharSink out) {
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

    private static void stringField(CharSink out, String key, String value) {
        if (value != null) {
            out.ascii(key);
            out.string(value);
        }
    }

    private static void numberField(CharSink out, String key, Long value) {
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

    /** Where the JSON goes: a builder, written to with escaping. */
    private static final class CharSink {
        private final StringBuilder out;

        CharSink(StringBuilder out) {
            this.out = out;
        }

        /** Text that needs no escaping and is pure ASCII (keys, punctuation, type names). */
        void ascii(String s) {
            out.append(s);
        }

        /** A JSON string literal: quotes and escapes added. */
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

        void number(long value) {
            out.append(value);
        }
    }
}
