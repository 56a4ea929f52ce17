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
    public void feed(char[] a, int from, int to) throws StreamFailure {
        int i = from;
        while (i < to) {
            int end = i;
            while (end < to && a[end] != '\n') {
                end++;
            }
            if (line.length() + (end - i) > maxFrameChars) {
                throw FrameDecoder.frameTooLarge(maxFrameChars);
            }
            if (end == to) {
                line.append(a, i, end - i);
                return;
            }
            if (line.length() == 0) {
                // A whole line inside this read becomes its frame in one copy.
                dispatch(a, i, end);
            } else {
                line.append(a, i, end - i);
                dispatch();
            }
            i = end + 1;
        }
    }

    private void dispatch(char[] a, int from, int to) throws StreamFailure {
        int end = to;
        if (end > from && a[end - 1] == '\r') {
            end--;
        }
        for (int k = from; k < end; k++) {
            char c = a[k];
            if (c != ' ' && c != '\t' && c != '\r') {
                sink.onFrame(null, new String(a, from, end - from));
                return;
            }
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
