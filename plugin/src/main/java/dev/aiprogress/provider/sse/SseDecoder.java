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
    /** The frame's only data line so far, as a range of the array being fed (never kept past one feed). */
    private char[] pendingArray;
    private int pendingFrom;
    private int pendingTo;
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
    public void feed(char[] a, int from, int to) throws StreamFailure {
        int i = from;
        if (atStart && i < to) {
            atStart = false;
            if (a[i] == '\uFEFF') {
                i++;
            }
        }
        if (afterCr && i < to) {
            afterCr = false;
            if (a[i] == '\n') {
                i++;
            }
        }
        try {
            while (i < to) {
                int end = i;
                while (end < to) {
                    char c = a[end];
                    if (c == '\n' || c == '\r') {
                        break;
                    }
                    end++;
                }
                if (line.length() + dataLength() + (end - i) > maxFrameChars) {
                    throw FrameDecoder.frameTooLarge(maxFrameChars);
                }
                if (end == to) {
                    line.append(a, i, end - i); // the rest of this line comes with the next feed
                    return;
                }
                if (line.length() == 0) {
                    lineInPlace(a, i, end);
                } else {
                    line.append(a, i, end - i);
                    endOfLine();
                }
                char terminator = a[end];
                i = end + 1;
                if (terminator == '\r') {
                    if (i == to) {
                        afterCr = true;
                    } else if (a[i] == '\n') {
                        i++;
                    }
                }
            }
        } finally {
            // The array is the caller's and changes after this feed: keep what is still needed.
            spillPendingData();
        }
    }

    /**
     * A whole line inside the fed array, read where it lies. A frame's one {@code data:} line is
     * only remembered as a range and becomes the frame's String in one copy at dispatch; it is
     * copied into {@code data} only when a second data line follows or the feed ends first.
     */
    private void lineInPlace(char[] a, int from, int to) throws StreamFailure {
        if (from == to) {
            dispatch();
            return;
        }
        if (a[from] == ':') {
            return;
        }
        int colon = from;
        while (colon < to && a[colon] != ':') {
            colon++;
        }
        int valueStart = colon < to ? colon + 1 : to;
        if (valueStart < to && a[valueStart] == ' ') {
            valueStart++;
        }
        if (fieldIs(a, from, colon, "data")) {
            if (hasData || data.length() > 0) {
                spillPendingData();
                data.append('\n').append(a, valueStart, to - valueStart);
            } else {
                pendingArray = a;
                pendingFrom = valueStart;
                pendingTo = to;
            }
            hasData = true;
        } else if (fieldIs(a, from, colon, "event")) {
            eventName = new String(a, valueStart, to - valueStart);
        }
        // id, retry and unknown fields are ignored: nothing upstream relies on reconnection.
    }

    private static boolean fieldIs(char[] a, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            if (a[from + k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private int dataLength() {
        return data.length() + (pendingArray == null ? 0 : pendingTo - pendingFrom);
    }

    private void spillPendingData() {
        if (pendingArray != null) {
            data.append(pendingArray, pendingFrom, pendingTo - pendingFrom);
            pendingArray = null;
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
            spillPendingData();
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
        String payload = !send ? null
                : pendingArray != null ? new String(pendingArray, pendingFrom, pendingTo - pendingFrom) : data.toString();
        pendingArray = null;
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
