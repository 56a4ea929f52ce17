package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.FrameParser.StreamFailure;
import dev.aiprogress.provider.ProviderFailure;

import java.nio.CharBuffer;

/**
 * Push-based framing of a decoded body: feed characters as they arrive, frames come out through a
 * {@link FrameSink}. One instance per body, called serially.
 */
public interface FrameDecoder {

    /** The default cap on one frame, so a multi-megabyte line cannot exhaust memory. */
    int DEFAULT_MAX_FRAME_CHARS = 1 << 20;

    /**
     * Feeds decoded characters. The body subscriber hands over array-backed {@link CharBuffer}s,
     * which are scanned in place (no bounds-checked {@code charAt} per character, no copy); anything
     * else (tests, strings) is copied once.
     */
    default void feed(CharSequence chars) throws StreamFailure {
        if (chars instanceof CharBuffer && ((CharBuffer) chars).hasArray()) {
            CharBuffer buffer = (CharBuffer) chars;
            int from = buffer.arrayOffset() + buffer.position();
            feed(buffer.array(), from, from + buffer.remaining());
        } else {
            char[] copy = chars.toString().toCharArray();
            feed(copy, 0, copy.length);
        }
    }

    /** Feeds {@code chars[from, to)}; the array is only read during the call. */
    void feed(char[] chars, int from, int to) throws StreamFailure;

    /** The body ended: a frame still being collected is dispatched if it is complete enough. */
    void endOfInput() throws StreamFailure;

    /** Checks a decoder's frame cap. */
    static int requirePositive(int maxFrameChars) {
        if (maxFrameChars < 1) {
            throw new IllegalArgumentException("maxFrameChars must be positive");
        }
        return maxFrameChars;
    }

    static StreamFailure frameTooLarge(int maxChars) {
        String size = maxChars % (1 << 20) == 0 ? (maxChars >> 20) + " MiB"
                : maxChars % 1024 == 0 ? (maxChars >> 10) + " KiB" : maxChars + " bytes";
        return new StreamFailure(ProviderFailure.of(ProviderFailure.Kind.MALFORMED,
                "upstream sent a frame over " + size));
    }
}
