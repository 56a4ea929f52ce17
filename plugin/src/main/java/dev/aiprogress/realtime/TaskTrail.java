package dev.aiprogress.realtime;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One task's events as the {@link ReplayLog} keeps them: compactly, because a replay window holds
 * every running task and each finished one for a minute. Reasoning and answer deltas are not kept as
 * events but as the text they add to two accumulators, plus twelve bytes of index per event (its
 * offset, seq and end position); every other event ({@code thinking}, {@code tool_call},
 * {@code completion}, ...) is kept as it is. A 400-delta answer costs its text and ≈ 5 KB, where the
 * events with their JSON cost ≈ 180 KB.
 *
 * <p>What comes back out is lossless but merged: consecutive deltas of one type become one event
 * with their text joined and the last one's seq, offset and timestamp, exactly as a socket's
 * {@link Outbox} merges deltas that queue behind a send. Not thread-safe: the hub's user lock guards it.
 */
final class TaskTrail {

    /** Ints per event in {@link #index}. */
    private static final int STRIDE = 3;

    final String taskId;
    /** The offset and seq the deltas in {@link #index} count from. */
    private final long baseOffset;
    private final long baseSeq;
    /** Per event: offset − baseOffset, seq − baseSeq, and the run's accumulator end position after it. */
    private int[] index = new int[STRIDE * 8];
    /** Events appended, including those trimmed off the front. */
    private int count;
    /** Events before this one were evicted. */
    private int start;
    /** Consecutive events of one kind: a delta type, or a single non-delta event. */
    private final List<Run> runs = new ArrayList<>(4);
    /**
     * The accumulated deltas: a StringBuilder while they grow; once the {@code completion} arrives
     * with the same text, its own String instead, so a finished task holds its answer only once.
     */
    private CharSequence reasoning;
    private CharSequence text;
    /** Chars dropped from the front of each accumulator by {@link #trimFront}. */
    private int reasoningBase;
    private int textBase;
    private long lastSeq;
    private long lastOffset;
    private boolean terminal;
    /** The summed {@link #weightOf} of the kept events. */
    private long weight;
    /** nanoTime of the last append: the trail leaves the window this long after its task went quiet. */
    long lastActivityNanos;

    TaskTrail(String taskId, long firstOffset, long firstSeq) {
        this.taskId = taskId;
        this.baseOffset = firstOffset;
        this.baseSeq = firstSeq;
    }

    /** Adds {@code event}, published at {@code offset}; returns the weight it added (see {@link #weightOf}). */
    int append(ProgressEvent event, long offset, long nowNanos) {
        lastActivityNanos = nowNanos;
        lastSeq = event.seq();
        lastOffset = offset;
        Run run = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        int end;
        if (event.type().isDelta()) {
            StringBuilder acc = growable(event.type());
            if (run == null || run.event != null || run.type != event.type()) {
                run = new Run(event.type(), count, acc.length() + base(event.type()), null);
                runs.add(run);
            }
            acc.append(event.text());
            run.lastTimestamp = event.timestamp();
            end = acc.length() + base(event.type());
        } else {
            terminal |= event.type().isTerminal();
            runs.add(new Run(event.type(), count, 0, event));
            end = 0;
            if (event.type() == EventType.COMPLETION) {
                adoptFinalText(event);
            }
        }
        if (index.length < (count + 1) * STRIDE) {
            index = Arrays.copyOf(index, Math.max(index.length * 2, (count + 1) * STRIDE));
        }
        int at = count * STRIDE;
        index[at] = Math.toIntExact(offset - baseOffset);
        index[at + 1] = Math.toIntExact(event.seq() - baseSeq);
        index[at + 2] = end;
        count++;
        int w = weightOf(event);
        weight += w;
        return w;
    }

    /**
     * What an event weighs against the window's byte bound: the text a delta adds, or a non-terminal
     * event's text and message (terminal events weigh nothing, as for the outbox: a completion repeats
     * the whole answer), plus the index it takes.
     */
    static int weightOf(ProgressEvent event) {
        if (event.type().isTerminal()) {
            return STRIDE * Integer.BYTES;
        }
        int chars = (event.text() == null ? 0 : event.text().length())
                + (event.message() == null ? 0 : event.message().length())
                + (event.tool() == null ? 0 : event.tool().arguments().length() + event.tool().name().length());
        return chars + STRIDE * Integer.BYTES;
    }

    long lastSeq() {
        return lastSeq;
    }

    long lastOffset() {
        return lastOffset;
    }

    /** The seq of the first event still kept. */
    long firstSeq() {
        return baseSeq + index[start * STRIDE + 1];
    }

    /** The seq of the last kept event at or before {@code offset}; 0 when no kept event is. */
    long seqAtOrBefore(long offset) {
        for (int i = count - 1; i >= start; i--) {
            if (baseOffset + index[i * STRIDE] <= offset) {
                return baseSeq + index[i * STRIDE + 1];
            }
        }
        return 0;
    }

    /** The offset of the first event still kept. */
    long firstOffset() {
        return baseOffset + index[start * STRIDE];
    }

    boolean terminal() {
        return terminal;
    }

    /** Events still kept. */
    int size() {
        return count - start;
    }

    boolean isEmpty() {
        return start == count;
    }

    /**
     * Drops the oldest kept event and returns its weight; {@link #firstOffset()} before the call is
     * its offset. The accumulators shed their dropped prefix once it is half of them.
     */
    int dropFirst() {
        // runs before the first kept event are gone, so the first run starts at it
        Run run = runs.get(0);
        int weight;
        if (run.event != null) {
            weight = weightOf(run.event);
            runs.remove(0);
        } else {
            int end = index[start * STRIDE + 2];
            weight = end - run.startChar + STRIDE * Integer.BYTES;
            run.first = start + 1;
            run.startChar = end;
            if (run.first >= (runs.size() > 1 ? runs.get(1).first : count)) {
                runs.remove(0);
            }
        }
        start++;
        this.weight -= weight;
        trimFront();
        return weight;
    }

    long weight() {
        return weight;
    }

    /** Every kept event with an offset above {@code afterOffset}, merged (see the class comment). */
    void afterOffset(long afterOffset, Consumer<ReplayLog.Entry> out) {
        int from = start;
        while (from < count && baseOffset + index[from * STRIDE] <= afterOffset) {
            from++;
        }
        emitFrom(from, out);
    }

    /** Every kept event with a seq above {@code afterSeq}, merged. */
    void afterSeq(long afterSeq, Consumer<ReplayLog.Entry> out) {
        int from = start;
        while (from < count && baseSeq + index[from * STRIDE + 1] <= afterSeq) {
            from++;
        }
        emitFrom(from, out);
    }

    private void emitFrom(int from, Consumer<ReplayLog.Entry> out) {
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            int last = (r + 1 < runs.size() ? runs.get(r + 1).first : count) - 1;
            if (last < from) {
                continue;
            }
            int lastAt = last * STRIDE;
            long offset = baseOffset + index[lastAt];
            if (run.event != null) {
                out.accept(new ReplayLog.Entry(offset, run.event));
                continue;
            }
            int first = Math.max(from, run.first);
            int startChar = first == run.first ? run.startChar : index[(first - 1) * STRIDE + 2];
            int base = base(run.type);
            String piece = accumulator(run.type).subSequence(startChar - base, index[lastAt + 2] - base).toString();
            out.accept(new ReplayLog.Entry(offset, ProgressEvent.delta(run.type, taskId, baseSeq + index[lastAt + 1],
                    run.lastTimestamp, piece)));
        }
    }

    private CharSequence accumulator(EventType type) {
        CharSequence acc = type == EventType.REASONING ? reasoning : text;
        return acc == null ? "" : acc;
    }

    private StringBuilder growable(EventType type) {
        CharSequence acc = type == EventType.REASONING ? reasoning : text;
        if (acc instanceof StringBuilder sb) {
            return sb;
        }
        StringBuilder sb = acc == null ? new StringBuilder() : new StringBuilder(acc);
        if (type == EventType.REASONING) {
            reasoning = sb;
        } else {
            text = sb;
        }
        return sb;
    }

    /** Shares the completion's strings when they are exactly what the deltas built (nothing shed). */
    private void adoptFinalText(ProgressEvent completion) {
        if (textBase == 0 && text != null && completion.text() != null && completion.text().contentEquals(text)) {
            text = completion.text();
        }
        if (reasoningBase == 0 && reasoning != null && completion.reasoning() != null
                && completion.reasoning().contentEquals(reasoning)) {
            reasoning = completion.reasoning();
        }
    }

    private int base(EventType type) {
        return type == EventType.REASONING ? reasoningBase : textBase;
    }

    /** Sheds accumulated text no kept event needs once it is at least half of an accumulator. */
    private void trimFront() {
        int keepReasoning = Integer.MAX_VALUE;
        int keepText = Integer.MAX_VALUE;
        for (Run run : runs) {
            if (run.event != null) {
                continue;
            }
            if (run.type == EventType.REASONING) {
                keepReasoning = Math.min(keepReasoning, run.startChar);
            } else {
                keepText = Math.min(keepText, run.startChar);
            }
        }
        if (reasoning != null) {
            reasoningBase = shed(EventType.REASONING, reasoningBase, keepReasoning);
        }
        if (text != null) {
            textBase = shed(EventType.TEXT, textBase, keepText);
        }
    }

    private int shed(EventType type, int base, int keepFrom) {
        CharSequence acc = accumulator(type);
        int drop = keepFrom == Integer.MAX_VALUE ? acc.length() : keepFrom - base;
        if (drop > 0 && drop * 2 >= acc.length()) {
            String rest = acc.subSequence(drop, acc.length()).toString();
            if (type == EventType.REASONING) {
                reasoning = rest;
            } else {
                text = rest;
            }
            return base + drop;
        }
        return base;
    }

    /** A run of deltas of one type, or one other event. */
    private static final class Run {
        final EventType type;
        /** The first event of the run (index position). */
        int first;
        /** For deltas: where the run's first kept event starts in its accumulator (counting shed chars). */
        int startChar;
        /** For a non-delta run: the event itself. */
        final ProgressEvent event;
        /** For deltas: the timestamp of the run's last event, which the merged event carries. */
        String lastTimestamp;

        Run(EventType type, int first, int startChar, ProgressEvent event) {
            this.type = type;
            this.first = first;
            this.startChar = startChar;
            this.event = event;
        }
    }
}
