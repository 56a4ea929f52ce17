package dev.aiprogress.provider.openai;

/**
 * Reads the one shape nearly every OpenAI-compatible stream frame has — a single choice-0 delta
 * with a few strings in it — straight from the frame's text, without a JSON library: no parser
 * object, no token strings for every key, only the values kept are decoded. It validates the JSON
 * it walks and gives up ({@link #scan} returns false, nothing applied) at anything else: a nested
 * object or array other than {@code choices[0].delta} (tool calls, reasoning details, usage, error,
 * logprobs, content parts), a truthy {@code error}, several choices, a non-integral index, invalid
 * JSON, trailing text. The general path then reads the frame with JSON-P, so the two always agree
 * ({@code OpenAiFrameParserTest} holds them equal on random frames). Not thread-safe; one per stream.
 */
final class ChunkScanner {

    String reasoningContent;
    String reasoning;
    String thinking;
    String content;
    String refusal;
    String finishReason;
    boolean choiceSeen;
    long index;

    private String s;
    private int i;
    private final StringBuilder decoded = new StringBuilder(64);

    /** Scans {@code text}; true when it had the common shape (the fields above hold what it said). */
    boolean scan(String text) {
        reasoningContent = null;
        reasoning = null;
        thinking = null;
        content = null;
        refusal = null;
        finishReason = null;
        choiceSeen = false;
        index = 0;
        s = text;
        i = 0;
        try {
            boolean ok = topLevel();
            skipSpace();
            return ok && i == s.length();
        } catch (IndexOutOfBoundsException truncated) {
            return false;
        } finally {
            s = null;
        }
    }

    private boolean topLevel() {
        skipSpace();
        if (!eat('{')) {
            return false;
        }
        boolean choicesSeen = false;
        if (peekAfterSpace() == '}') {
            i++;
            return true;
        }
        do {
            Key key = key();
            if (key == null) {
                return false;
            }
            skipSpace();
            char c = s.charAt(i);
            if (key == Key.CHOICES && c == '[' && !choicesSeen) {
                choicesSeen = true;
                if (!choices()) {
                    return false;
                }
            } else if (c == '{' || c == '[') {
                return false; // usage, error, timings, ...: the general path
            } else if (key == Key.ERROR) {
                // a truthy error is reported by the general path
                if (!literal("null") && !literal("false")) {
                    return false;
                }
            } else if (key == Key.CHOICES) {
                return false; // choices that are not one array
            } else if (!skipScalar()) {
                return false;
            }
        } while (commaOrEnd('}'));
        return i > 0 && s.charAt(i - 1) == '}';
    }

    private boolean choices() {
        i++; // '['
        if (peekAfterSpace() == ']') {
            i++;
            return true;
        }
        do {
            skipSpace();
            if (s.charAt(i) != '{' || choiceSeen) {
                return false;
            }
            choiceSeen = true;
            if (!choice()) {
                return false;
            }
        } while (commaOrEnd(']'));
        return s.charAt(i - 1) == ']';
    }

    private boolean choice() {
        i++; // '{'
        boolean deltaSeen = false;
        if (peekAfterSpace() == '}') {
            i++;
            return true;
        }
        do {
            Key key = key();
            if (key == null) {
                return false;
            }
            skipSpace();
            char c = s.charAt(i);
            if (key == Key.DELTA && c == '{' && !deltaSeen) {
                deltaSeen = true;
                if (!delta()) {
                    return false;
                }
            } else if (c == '{' || c == '[') {
                return false; // logprobs content, a second delta, ...
            } else if (key == Key.INDEX) {
                if (!integer()) {
                    return false;
                }
            } else if (key == Key.FINISH_REASON) {
                if (c == '"') {
                    finishReason = string();
                    if (finishReason == null) {
                        return false;
                    }
                } else if (!skipScalar()) {
                    return false;
                } else {
                    finishReason = null;
                }
            } else if (!skipScalar()) {
                return false;
            }
        } while (commaOrEnd('}'));
        return s.charAt(i - 1) == '}';
    }

    private boolean delta() {
        i++; // '{'
        if (peekAfterSpace() == '}') {
            i++;
            return true;
        }
        do {
            Key key = key();
            if (key == null) {
                return false;
            }
            skipSpace();
            char c = s.charAt(i);
            if (c == '{' || c == '[') {
                return false; // tool_calls, reasoning_details, content parts
            }
            String value = null;
            if (c == '"') {
                if (key.kept) {
                    value = string();
                    if (value == null) {
                        return false;
                    }
                } else if (!skipString()) {
                    return false;
                }
            } else if (!skipScalar()) {
                return false;
            }
            switch (key) {
                case REASONING_CONTENT -> reasoningContent = value;
                case REASONING -> reasoning = value;
                case THINKING -> thinking = value;
                case CONTENT -> content = value;
                case REFUSAL -> refusal = value;
                default -> {
                    // role, and fields this scanner does not read
                }
            }
        } while (commaOrEnd('}'));
        return s.charAt(i - 1) == '}';
    }

    /** The keys it tells apart; any other is {@link #OTHER}. {@code kept}: its string value is decoded. */
    private enum Key {
        CHOICES("choices", false), ERROR("error", false), INDEX("index", false), DELTA("delta", false),
        FINISH_REASON("finish_reason", false), REASONING_CONTENT("reasoning_content", true),
        REASONING("reasoning", true), THINKING("thinking", true), CONTENT("content", true),
        REFUSAL("refusal", true), OTHER("", false);

        final String name;
        final boolean kept;

        Key(String name, boolean kept) {
            this.name = name;
            this.kept = kept;
        }
    }

    private static final Key[] NAMED = java.util.Arrays.stream(Key.values()).filter(k -> k != Key.OTHER).toArray(Key[]::new);

    /** A member's key and its colon; null on invalid JSON. Keys with escapes are compared decoded. */
    private Key key() {
        skipSpace();
        if (s.charAt(i) != '"') {
            return null;
        }
        int start = i + 1;
        int end = s.indexOf('"', start);
        Key found = Key.OTHER;
        if (end > 0 && s.lastIndexOf('\\', end) < start) {
            // the common case: no escape in the key, compared in place
            int length = end - start;
            for (Key k : NAMED) {
                if (k.name.length() == length && s.regionMatches(start, k.name, 0, length)) {
                    found = k;
                    break;
                }
            }
            for (int p = start; p < end; p++) {
                if (s.charAt(p) < 0x20) {
                    return null;
                }
            }
            i = end + 1;
        } else {
            String name = string();
            if (name == null) {
                return null;
            }
            for (Key k : NAMED) {
                if (k.name.equals(name)) {
                    found = k;
                    break;
                }
            }
        }
        skipSpace();
        return eat(':') ? found : null;
    }

    /** After a member: true at a comma (another follows), false at {@code end} (consumed) or anything else. */
    private boolean commaOrEnd(char end) {
        skipSpace();
        char c = s.charAt(i);
        if (c == ',') {
            i++;
            return true;
        }
        if (c == end) {
            i++;
        } else {
            i = s.length() + 1; // neither: invalid, and every caller's end check fails
        }
        return false;
    }

    /** A JSON string at {@code i}, decoded; null when it is not valid JSON. */
    private String string() {
        i++; // opening quote
        int start = i;
        while (true) {
            char c = s.charAt(i);
            if (c == '"') {
                String plain = s.substring(start, i);
                i++;
                return plain;
            }
            if (c == '\\') {
                break;
            }
            if (c < 0x20) {
                return null;
            }
            i++;
        }
        decoded.setLength(0);
        decoded.append(s, start, i);
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return decoded.toString();
            }
            if (c < 0x20) {
                return null;
            }
            if (c != '\\') {
                decoded.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> decoded.append(e);
                case 'b' -> decoded.append('\b');
                case 'f' -> decoded.append('\f');
                case 'n' -> decoded.append('\n');
                case 'r' -> decoded.append('\r');
                case 't' -> decoded.append('\t');
                case 'u' -> {
                    int code = hex4();
                    if (code < 0) {
                        return null;
                    }
                    decoded.append((char) code);
                }
                default -> {
                    return null;
                }
            }
        }
    }

    /** Four hex digits (ASCII only, as JSON wants) at {@code i}, consumed; -1 when they are not. */
    private int hex4() {
        int code = 0;
        for (int k = 0; k < 4; k++) {
            char c = s.charAt(i++);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            code = code * 16 + d;
        }
        return code;
    }

    /** Steps over a JSON string without decoding it (ids, model names, roles); false when invalid. */
    private boolean skipString() {
        i++; // opening quote
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return true;
            }
            if (c < 0x20) {
                return false;
            }
            if (c == '\\') {
                char e = s.charAt(i++);
                if (e == 'u') {
                    if (hex4() < 0) {
                        return false;
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    return false;
                }
            }
        }
    }

    /** A string, number, true, false or null; false on invalid JSON. */
    private boolean skipScalar() {
        char c = s.charAt(i);
        if (c == '"') {
            return skipString();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number(false);
        }
        return literal("true") || literal("false") || literal("null");
    }

    /** The choice's {@code index}: an integral number. */
    private boolean integer() {
        int start = i;
        if (!number(true)) {
            return false;
        }
        try {
            index = Long.parseLong(s, start, i, 10);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A JSON number (RFC 8259 §6); {@code integral}: no fraction or exponent allowed. */
    private boolean number(boolean integral) {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (!digits()) {
            return false;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            if (integral) {
                return false;
            }
            i++;
            if (!digits()) {
                return false;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            if (integral) {
                return false;
            }
            i++;
            if (s.charAt(i) == '+' || s.charAt(i) == '-') {
                i++;
            }
            if (!digits()) {
                return false;
            }
        }
        return i > start;
    }

    private boolean digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i > start;
    }

    private boolean literal(String word) {
        if (s.startsWith(word, i)) {
            i += word.length();
            return true;
        }
        return false;
    }

    private boolean eat(char c) {
        if (s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private char peekAfterSpace() {
        skipSpace();
        return s.charAt(i);
    }

    private void skipSpace() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }
}
