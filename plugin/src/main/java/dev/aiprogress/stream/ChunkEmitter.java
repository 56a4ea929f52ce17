package dev.aiprogress.stream;

import java.util.function.Consumer;

/**
 * Gathers the splitter's reasoning and text output into as few chunks as possible and hands them
 * on: one chunk per channel run per {@link #flush}, never an empty one, and (when asked) never one
 * that ends in a high surrogate whose low half has not arrived yet (docs/SPLITTER.md, rule 9).
 *
 * <p>A single range of an input string is kept as a reference and cut out only when flushed, so
 * a delta that passes through whole costs no copy at all ({@code substring} of the whole string
 * is the string itself). Anything else is copied into one reused buffer.
 */
final class ChunkEmitter {

    enum Channel { NONE, REASONING, TEXT }

    private final Consumer<Chunk> out;

    /** Channel of the text gathered and not yet handed on. */
    private Channel pendingChannel = Channel.NONE;
    /** The gathered text while it is one range of one input string; null otherwise. */
    private String range;
    private int rangeFrom;
    private int rangeTo;
    /** The gathered text once it is more than one range, or a held high surrogate. */
    private final StringBuilder copied = new StringBuilder();
    /** Channel of the last text emitted since the last block boundary ({@code NONE} right after one). */
    private Channel lastEmitted = Channel.NONE;

    ChunkEmitter(Consumer<Chunk> out) {
        this.out = out;
    }

    /** Adds {@code s[from, to)} to the output of {@code channel}. */
    void emit(Channel channel, String s, int from, int to) {
        if (from >= to) return;
        switchTo(channel);
        if (range == null && copied.length() == 0) {
            range = s;
            rangeFrom = from;
            rangeTo = to;
        } else if (range == s && rangeTo == from) {
            rangeTo = to;
        } else {
            spillRange();
            copied.append(s, from, to);
        }
    }

    /** Adds a copy of {@code text} (which the caller may reuse at once) to the output of {@code channel}. */
    void emit(Channel channel, CharSequence text) {
        if (text.length() == 0) return;
        switchTo(channel);
        spillRange();
        copied.append(text);
    }

    /** Hands on everything gathered, then {@code chunk}; a block boundary for {@link #lastEmitted()}. */
    void passAfterFlush(Chunk chunk) {
        flush(false);
        out.accept(chunk);
        lastEmitted = Channel.NONE;
    }

    /** Hands on {@code chunk} at once; gathered text (at most a held high surrogate) stays. */
    void passWithoutFlush(Chunk chunk) {
        out.accept(chunk);
    }

    /** A reasoning block opened or closed: the next text starts a new block. */
    void markBlockBoundary() {
        lastEmitted = Channel.NONE;
    }

    /** The channel of the last text emitted since the last block boundary, or {@code NONE}. */
    Channel lastEmitted() {
        return lastEmitted;
    }

    /**
     * Hands on the gathered text as one chunk. With {@code holdHighSurrogate}, a trailing high
     * surrogate stays behind so its low half (the next delta's first character) joins it.
     */
    void flush(boolean holdHighSurrogate) {
        int length = range != null ? rangeTo - rangeFrom : copied.length();
        if (length == 0) return;
        char last = range != null ? range.charAt(rangeTo - 1) : copied.charAt(length - 1);
        int cut = holdHighSurrogate && Character.isHighSurrogate(last) ? 1 : 0;
        String text;
        if (range != null) {
            text = range.substring(rangeFrom, rangeTo - cut);
            range = null;
            if (cut == 1) copied.append(last);
        } else {
            text = copied.substring(0, length - cut);
            copied.setLength(0);
            if (cut == 1) copied.append(last);
        }
        if (text.isEmpty()) return;
        out.accept(pendingChannel == Channel.REASONING ? new Chunk.Reasoning(text) : new Chunk.Text(text));
    }

    private void switchTo(Channel channel) {
        if (channel != pendingChannel) {
            flush(false);
            pendingChannel = channel;
        }
        lastEmitted = channel;
    }

    private void spillRange() {
        if (range != null) {
            copied.append(range, rangeFrom, rangeTo);
            range = null;
        }
    }
}
