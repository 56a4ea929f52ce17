package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.FrameParser.StreamFailure;

import java.util.Objects;

/**
 * Server-sent events framing (WHATWG HTML §9.2.6), push-based. Lines end in LF, CRLF or CR (a CR at
 * the end of one feed and the LF at the start of the next are one line end); {@code :} lines are
 * comments; {@code data:} loses exactly one leading space and several data lines join with
 * {@code \n}; {@code event:} names the frame; {@code id:} and {@code retry:} are ignored; a blank
 * line dispatches; an event without data is dropped; a last event without its blank line is
 * dispatched at the end of the body. One frame (its data plus the line being read) is capped.
 */
public final class SseDecoder implements FrameDecoder {

    private final FrameSink sink;
    private final int maxFrameChars;
    private final StringBuilder line = new StringBuilder(256);
    private final StringBuilder data = new StringBuilder(256);
    private boolean hasData;
    private String eventName;
    /** The previous feed ended in CR: an LF first in the next feed belongs to that line end. */
    private boolean afterCr;
    /** Nothing has been fed yet: a leading byte-order mark is dropped, as the SSE spec says. */
    private boolean atStart = true;

    public SseDecoder(FrameSink sink) {
        this(sink, DEFAULT_MAX_FRAME_CHARS);
    }

    public SseDecoder(FrameSink sink, int maxFrameChars) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.maxFrameChars = FrameDecoder.requirePositive(maxFrameChars);
    }

    @Override
    public void feed(CharSequence chars) throws StreamFailure {
        int length = chars.length();
        int i = 0;
        if (atStart && length > 0) {
            atStart = false;
            if (chars.charAt(0) == '\uFEFF') {
                i = 1;
            }
        }
        if (afterCr && i < length) {
            afterCr = false;
            if (chars.charAt(i) == '\n') {
                i++;
            }
        }
        while (i < length) {
            int end = i;
            while (end < length) {
                char c = chars.charAt(end);
                if (c == '\n' || c == '\r') {
                    break;
                }
                end++;
            }
            if (end > i) {
                if (line.length() + data.length() + (end - i) > maxFrameChars) {
                    throw FrameDecoder.frameTooLarge(maxFrameChars);
                }
                line.append(chars, i, end);
            }
            if (end == length) {
                return;
            }
            char terminator = chars.charAt(end);
            i = end + 1;
            if (terminator == '\r') {
                if (i == length) {
                    afterCr = true;
                } else if (chars.charAt(i) == '\n') {
                    i++;
                }
            }
            endOfLine();
        }
    }

    @Override
    public void endOfInput() throws StreamFailure {
        afterCr = false;
        if (line.length() > 0) {
            endOfLine();
        }
        dispatch();
    }

    private void endOfLine() throws StreamFailure {
        if (line.length() == 0) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            line.setLength(0);
            return;
        }
        int colon = indexOfColon();
        int nameEnd = colon < 0 ? line.length() : colon;
        int valueStart = colon < 0 ? line.length() : colon + 1;
        if (valueStart < line.length() && line.charAt(valueStart) == ' ') {
            valueStart++;
        }
        if (fieldIs("data", nameEnd)) {
            if (hasData) {
                data.append('\n');
            }
            data.append(line, valueStart, line.length());
            hasData = true;
        } else if (fieldIs("event", nameEnd)) {
            eventName = line.substring(valueStart);
        }
        // id, retry and unknown fields are ignored: nothing upstream relies on reconnection.
        line.setLength(0);
    }

    /** Compares the field name in place: no String per line on the hot path. */
    private boolean fieldIs(String name, int nameEnd) {
        if (nameEnd != name.length()) {
            return false;
        }
        for (int k = 0; k < nameEnd; k++) {
            if (line.charAt(k) != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** A buffer grown by one big frame is given back, so a long stream does not keep it. */
    private static void releaseIfLarge(StringBuilder buffer) {
        if (buffer.length() == 0 && buffer.capacity() > 64 * 1024) {
            buffer.trimToSize();
        }
    }

    private int indexOfColon() {
        for (int k = 0; k < line.length(); k++) {
            if (line.charAt(k) == ':') {
                return k;
            }
        }
        return -1;
    }

    private void dispatch() throws StreamFailure {
        boolean send = hasData;
        String name = eventName == null || eventName.isEmpty() ? null : eventName;
        String payload = send ? data.toString() : null;
        data.setLength(0);
        releaseIfLarge(data);
        releaseIfLarge(line);
        hasData = false;
        eventName = null;
        if (send) {
            sink.onFrame(name, payload);
        }
    }
}
