package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.FrameParser.StreamFailure;

import java.util.Objects;

/**
 * Newline-delimited JSON framing: one frame per non-blank line, a trailing CR dropped, the last line
 * without its LF dispatched at the end of the body. One line is capped like an SSE frame.
 */
public final class NdjsonDecoder implements FrameDecoder {

    private final FrameSink sink;
    private final int maxFrameChars;
    private final StringBuilder line = new StringBuilder(256);
    /** A buffer grown by one big frame is given back, so a long stream does not keep it. */
    private static final int RETAINED_CHARS = 64 * 1024;

    public NdjsonDecoder(FrameSink sink) {
        this(sink, DEFAULT_MAX_FRAME_CHARS);
    }

    public NdjsonDecoder(FrameSink sink, int maxFrameChars) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.maxFrameChars = FrameDecoder.requirePositive(maxFrameChars);
    }

    @Override
    public void feed(CharSequence chars) throws StreamFailure {
        int length = chars.length();
        int i = 0;
        while (i < length) {
            int end = i;
            while (end < length && chars.charAt(end) != '\n') {
                end++;
            }
            if (end > i) {
                if (line.length() + (end - i) > maxFrameChars) {
                    throw FrameDecoder.frameTooLarge(maxFrameChars);
                }
                line.append(chars, i, end);
            }
            if (end == length) {
                return;
            }
            i = end + 1;
            dispatch();
        }
    }

    @Override
    public void endOfInput() throws StreamFailure {
        dispatch();
    }

    private void dispatch() throws StreamFailure {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        boolean blank = true;
        for (int k = 0; k < end && blank; k++) {
            char c = line.charAt(k);
            blank = c == ' ' || c == '\t' || c == '\r';
        }
        String frame = blank ? null : line.substring(0, end);
        line.setLength(0);
        if (line.capacity() > RETAINED_CHARS) {
            line.trimToSize();
        }
        if (frame != null) {
            sink.onFrame(null, frame);
        }
    }
}
