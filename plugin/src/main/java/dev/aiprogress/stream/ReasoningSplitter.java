package dev.aiprogress.stream;

import dev.aiprogress.stream.ChunkEmitter.Channel;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Separates reasoning from answer text while streaming, however the upstream cut it
 * (docs/SPLITTER.md, rules 1-11). One instance per generation, called serially.
 *
 * <p><b>Content</b> ({@link Delta.Content}) goes through tag detection. <b>Native reasoning</b>
 * ({@link Delta.Reasoning}) passes through as {@link Chunk.Reasoning}; only the leading whitespace
 * of a reasoning block is dropped (a block starts when the last text emitted was not reasoning, or
 * after a tag, a tool call or a finish), whitespace between deltas stays. {@link Delta.ProviderState}
 * emits nothing. Empty deltas change nothing (rule 10). Decoding UTF-8 statefully (rule 9, second
 * half) is the byte-level decoder's job; here a high surrogate at the end of a delta is held until
 * its low half arrives, and released alone only when the input itself is malformed (a channel
 * switch, tool call, finish or end of stream comes first).
 *
 * <p><b>What is held</b>, and only that: a suffix that could still become a tag (shorter than the
 * longest tag), one whitespace run whose fate depends on what follows (at the very start of the
 * content: dropped before an opener, text otherwise; at the end of reasoning: dropped before the
 * closer, reasoning otherwise), and a trailing high surrogate until its low half arrives. A
 * whitespace run longer than {@value #WHITESPACE_CAP} characters is decided as content at once:
 * released to its channel and not dropped, even if a tag follows (at the very start this means
 * the answer has begun, so a later {@code <think>} is literal in {@code LEADING} mode).
 *
 * <p><b>Pass-through and held text</b>, so that nothing is reordered or lost:
 * <ul>
 *   <li>{@link Chunk.ToolCall} and {@link Chunk.Finish} first release everything held, verbatim,
 *       to the current channel (as {@link #finish()} does), then pass.</li>
 *   <li>{@link Chunk.Usage} passes at once and releases nothing: it is a cumulative count, not
 *       part of the text order.</li>
 *   <li>{@link Delta.Reasoning} settles the content first: a held tag prefix is released as
 *       literal text; whitespace held at the very start of the content is dropped (it stood before
 *       a reasoning block, as in vector 18); whitespace held at the end of inline reasoning is
 *       released as reasoning. If the content had not started and the rules say
 *       {@code startInReasoning}, native reasoning shows that the upstream separates reasoning
 *       itself, so the content that follows is the answer (its leading closer is an orphan,
 *       rule 5). Answer text after native reasoning loses its leading whitespace (rule 6).</li>
 * </ul>
 *
 * <p>Choices docs/SPLITTER.md states in rules 2, 4 and 5: whitespace before an orphan closer at the very
 * start is dropped with it, and the answer after an orphan closer loses its leading whitespace,
 * as after any closer; in {@code LEADING} mode the only opener that counts is the one at the very
 * start of the content (or right after native reasoning there), never one after a closer; in
 * {@code ANYWHERE} mode closers outside a block are literal text.
 */
public final class ReasoningSplitter {

    /** Longest whitespace run held back before it is released (docs/SPLITTER.md, rule 6). */
    static final int WHITESPACE_CAP = 4096;

    private enum Phase {
        /** The very start of the content: nothing but whitespace seen, not in reasoning. */
        LEAD,
        /** Answer text. */
        TEXT,
        /** Inside an inline reasoning block (explicit opener, or implicit by {@code startInReasoning}). */
        REASONING
    }

    private final TagMatcher tags;
    private final boolean anywhere;
    private final ChunkEmitter emitter;
    /** Whitespace held in {@code LEAD} (start of content) or {@code REASONING} (possible trailing run). */
    private final StringBuilder heldWhitespace = new StringBuilder();
    /** A possible tag prefix, starting with '<', shorter than the longest tag. */
    private final StringBuilder heldTag = new StringBuilder();

    private Phase phase;
    /** In {@code REASONING}: the name index whose closer ends the block, or {@link TagMatcher#ANY_CLOSER}. */
    private int closer = TagMatcher.NO_CLOSER;
    /** In {@code REASONING}: started implicitly and nothing but whitespace seen, so one opener is still stripped. */
    private boolean openerAllowed;
    /** Whitespace here is dropped: start of a reasoning block, or of the answer after one. */
    private boolean skipWhitespace;
    /** The current whitespace run outgrew {@link #WHITESPACE_CAP} and goes out as content. */
    private boolean runReleased;
    private boolean contentSeen;

    public ReasoningSplitter(TagRules rules, Consumer<Chunk> out) {
        Objects.requireNonNull(rules, "rules");
        this.emitter = new ChunkEmitter(Objects.requireNonNull(out, "out"));
        this.tags = new TagMatcher(rules.tags());
        this.anywhere = rules.mode() == TagRules.Mode.ANYWHERE;
        if (rules.startInReasoning()) {
            phase = Phase.REASONING;
            closer = TagMatcher.ANY_CLOSER;
            openerAllowed = true;
            skipWhitespace = true;
        } else {
            phase = Phase.LEAD;
        }
    }

    /** Feeds one delta; zero or more chunks come out through the consumer. */
    public void accept(Delta delta) {
        Objects.requireNonNull(delta, "delta");
        if (delta instanceof Delta.Content c) {
            content(c.text());
            emitter.flush(true);
        } else if (delta instanceof Delta.Reasoning r) {
            nativeReasoning(r.text());
            emitter.flush(true);
        } else if (delta instanceof Chunk.Usage usage) {
            emitter.passWithoutFlush(usage);
        } else if (delta instanceof Chunk.ToolCall || delta instanceof Chunk.Finish) {
            releaseHeld();
            emitter.passAfterFlush((Chunk) delta);
        }
        // Delta.ProviderState: opaque state for the next turn, nothing to emit.
    }

    /** End of stream: flushes whatever is held, verbatim, to the current channel (rule 8). */
    public void finish() {
        releaseHeld();
        emitter.flush(false);
    }

    /** True when the stream ended inside a reasoning block (reported as {@code reasoning_unclosed}). */
    public boolean reasoningUnclosed() {
        return phase == Phase.REASONING && contentSeen;
    }

    // ---- content: tag detection -------------------------------------------------------------

    private void content(String s) {
        if (s.isEmpty()) return;
        contentSeen = true;
        int n = s.length();
        int i = heldTag.length() > 0 ? resumeTag(s) : 0;
        while (i < n) {
            i = switch (phase) {
                case LEAD -> lead(s, i);
                case TEXT -> text(s, i);
                case REASONING -> reasoning(s, i);
            };
        }
    }

    private int lead(String s, int i) {
        int j = firstNonWhitespace(s, i);
        if (j > i && !skipWhitespace) holdWhitespace(s, i, j);
        if (phase != Phase.LEAD || j == s.length()) return j;
        if (s.charAt(j) == '<') return tag(s, j);
        beginContent();
        return j;
    }

    private int text(String s, int i) {
        int n = s.length();
        if (skipWhitespace) {
            i = firstNonWhitespace(s, i);
            if (i == n) return n;
            skipWhitespace = false;
        }
        int lt = anywhere ? s.indexOf('<', i) : -1;
        if (lt < 0) {
            emitter.emit(Channel.TEXT, s, i, n);
            return n;
        }
        emitter.emit(Channel.TEXT, s, i, lt);
        return tag(s, lt);
    }

    private int reasoning(String s, int i) {
        int n = s.length();
        if (skipWhitespace) {
            i = firstNonWhitespace(s, i);
            if (i == n) return n;
            if (s.charAt(i) == '<') return tag(s, i);
        }
        int lt = s.indexOf('<', i);
        int end = lt < 0 ? n : lt;
        int contentEnd = end;
        while (contentEnd > i && isWhitespace(s.charAt(contentEnd - 1))) contentEnd--;
        if (contentEnd > i) {
            beginContent();
            emitter.emit(Channel.REASONING, s, i, contentEnd);
        }
        if (end > contentEnd) holdWhitespace(s, contentEnd, end);
        return lt < 0 ? n : tag(s, lt);
    }

    /** At a '<' in {@code s}: applies a tag, holds a possible prefix, or emits the '<' as literal. */
    private int tag(String s, int at) {
        int id = tags.match(s, at, openersHere(), closerHere());
        if (id >= 0) {
            applyTag(id);
            return at + tags.length(id);
        }
        if (id == TagMatcher.PARTIAL) {
            heldTag.append(s, at, s.length());
            return s.length();
        }
        beginContent();
        emitter.emit(channel(), s, at, at + 1);
        return at + 1;
    }

    /** Continues a held tag prefix with the start of {@code s}; returns where normal scanning resumes. */
    private int resumeTag(String s) {
        for (int k = 0; k < s.length(); k++) {
            heldTag.append(s.charAt(k));
            int id = tags.match(heldTag, 0, openersHere(), closerHere());
            if (id >= 0) {
                heldTag.setLength(0);
                applyTag(id);
                return k + 1;
            }
            if (id == TagMatcher.NONE) {
                // s[k] broke the match; it may start something itself, so it is scanned again.
                heldTag.setLength(heldTag.length() - 1);
                releaseHeldTag();
                return k;
            }
        }
        return s.length();
    }

    private void applyTag(int id) {
        // Whitespace held before an opener at the start (rule 6, vector 18), before a closer at
        // the end of reasoning (rule 6) or before an orphan closer (rule 5) is dropped.
        heldWhitespace.setLength(0);
        runReleased = false;
        openerAllowed = false;
        skipWhitespace = true;
        if (tags.isOpener(id)) {
            phase = Phase.REASONING;
            closer = tags.nameIndex(id);
        } else {
            phase = Phase.TEXT;
            closer = TagMatcher.NO_CLOSER;
        }
        emitter.markBlockBoundary();
    }

    private boolean openersHere() {
        return switch (phase) {
            case LEAD -> true;
            case TEXT -> anywhere;
            case REASONING -> openerAllowed;
        };
    }

    private int closerHere() {
        return switch (phase) {
            case LEAD -> TagMatcher.ANY_CLOSER; // an orphan closer (rule 5)
            case TEXT -> TagMatcher.NO_CLOSER;
            case REASONING -> closer;
        };
    }

    private Channel channel() {
        return phase == Phase.REASONING ? Channel.REASONING : Channel.TEXT;
    }

    /**
     * Non-whitespace content (or a literal '<') follows: held whitespace belongs to the content,
     * the start of the answer or of the block is over.
     */
    private void beginContent() {
        releaseHeldWhitespace();
        skipWhitespace = false;
        openerAllowed = false;
        runReleased = false;
    }

    private void holdWhitespace(String s, int from, int to) {
        if (runReleased || heldWhitespace.length() + (to - from) > WHITESPACE_CAP) {
            releaseHeldWhitespace();
            emitter.emit(channel(), s, from, to);
            runReleased = true;
        } else {
            heldWhitespace.append(s, from, to);
        }
    }

    private void releaseHeldTag() {
        beginContent();
        emitter.emit(channel(), heldTag);
        heldTag.setLength(0);
    }

    /** Releases everything held, verbatim, to the current channel (rule 8). */
    private void releaseHeld() {
        if (heldTag.length() > 0) releaseHeldTag();
        if (heldWhitespace.length() > 0) releaseHeldWhitespace();
    }

    /** Held whitespace goes out as content of the current channel; at the very start that begins the answer. */
    private void releaseHeldWhitespace() {
        if (phase == Phase.LEAD) phase = Phase.TEXT;
        emitter.emit(channel(), heldWhitespace);
        heldWhitespace.setLength(0);
    }

    // ---- native reasoning ----------------------------------------------------------------------

    private void nativeReasoning(String s) {
        if (s.isEmpty()) return;
        settleContentBeforeNativeReasoning();
        int from = emitter.lastEmitted() == Channel.REASONING ? 0 : firstNonWhitespace(s, 0);
        emitter.emit(Channel.REASONING, s, from, s.length());
    }

    private void settleContentBeforeNativeReasoning() {
        if (heldTag.length() > 0) releaseHeldTag();
        switch (phase) {
            case LEAD -> {
                heldWhitespace.setLength(0);
                skipWhitespace = true;
            }
            case TEXT -> skipWhitespace = true;
            case REASONING -> {
                if (openerAllowed) {
                    phase = Phase.LEAD;
                    closer = TagMatcher.NO_CLOSER;
                    openerAllowed = false;
                    skipWhitespace = true;
                } else {
                    releaseHeldWhitespace();
                    runReleased = false;
                }
            }
        }
    }

    // ---- characters ----------------------------------------------------------------------------

    /** Space, tab, CR and LF only (docs/SPLITTER.md, rule 6). */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static int firstNonWhitespace(String s, int i) {
        int n = s.length();
        while (i < n && isWhitespace(s.charAt(i))) i++;
        return i;
    }
}
