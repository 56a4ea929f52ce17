package dev.aiprogress.stream;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Batches ({@code min-chars}) and throttles ({@code interval-ms}) reasoning/text chunks before they
 * become events. One per generation.
 *
 * <ul>
 *   <li><b>Adaptive</b> (0/0, the default): every chunk passes on at once, unchanged. Merging while a
 *       socket send is in flight is the realtime outbox's job, not this one's.</li>
 *   <li><b>min-chars N</b>: reasoning/text is held until N chars (UTF-16 units) of the current type
 *       are held, then goes out as one merged chunk.</li>
 *   <li><b>interval-ms T</b>: at most one emission per T: a chunk arriving T or more after the last
 *       emission (or the first one) goes out at once; chunks arriving sooner are held and go out
 *       together when T has passed since the last emission (a timer on the {@link TaskScheduler}).</li>
 *   <li><b>Both</b>: held text goes out as soon as <em>either</em> condition holds — N chars are
 *       held, or T has passed since the last emission. So N batches a fast stream and T bounds how
 *       long a slow stream's few chars wait.</li>
 * </ul>
 *
 * <p>A type change (reasoning ↔ text) and every other chunk ({@link Chunk.ToolCall},
 * {@link Chunk.Usage}, {@link Chunk.Finish}) first emit what is held; a non-text chunk then passes
 * at once, a chunk of the new type goes through the rules above (the forced emission counts as
 * the last emission). Nothing is lost or reordered. A batching emission keeps a trailing high
 * surrogate back for the next chunk, so a merged chunk never ends inside a surrogate pair;
 * {@link #flush()} and type changes emit it anyway (nothing can complete it).
 *
 * <p>Threading: {@link #accept} and {@link #flush} come from the provider's thread, the timer from
 * the scheduler's. Each coalescer has its own lock, held while calling {@code out}, so output calls
 * never overlap and keep their order. There is no global lock because coalescers share no state:
 * the only contention is one generation's provider thread against its own timer. {@code out} must
 * not call back into this coalescer.
 */
public final class Coalescer {

    /** {@code minChars}/{@code intervalMillis} = 0/0 is adaptive. */
    public record Options(int minChars, long intervalMillis) {
        public static final Options ADAPTIVE = new Options(0, 0);

        public Options {
            if (minChars < 0) throw new IllegalArgumentException("emit.min-chars must be >= 0, was " + minChars);
            if (intervalMillis < 0) throw new IllegalArgumentException("emit.interval-ms must be >= 0, was " + intervalMillis);
        }

        public boolean adaptive() {
            return minChars == 0 && intervalMillis == 0;
        }
    }

    private enum Kind { REASONING, TEXT }

    private final Options options;
    private final long intervalNanos;
    private final TaskScheduler scheduler;
    private final Consumer<Chunk> out;

    private final ReentrantLock lock = new ReentrantLock();
    // All fields below are guarded by lock.
    /** Reasoning or text not yet emitted, all of {@link #heldKind}. */
    private final StringBuilder held = new StringBuilder();
    private Kind heldKind = Kind.TEXT;
    /** Whether a reasoning/text emission happened yet, and when (scheduler nanos). */
    private boolean emittedYet;
    private long lastEmitNanos;
    /** The pending timer's identity (a stale timer that still runs sees a different one) and its cancel action. */
    private Object timerToken;
    private Runnable cancelTimer;
    /** Set by close(); nothing is emitted afterwards. */
    private boolean closed;

    /**
     * @param out receives chunks in order; with a non-zero interval it may be called from the
     *            scheduler's thread, never concurrently with another call for this coalescer
     */
    public Coalescer(Options options, TaskScheduler scheduler, Consumer<Chunk> out) {
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.out = Objects.requireNonNull(out, "out");
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(options.intervalMillis());
    }

    /** Takes the next chunk of the stream; ignored after {@link #close()} (a cancelled generation). */
    public void accept(Chunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (options.adaptive()) {
                out.accept(chunk);
                return;
            }
            if (chunk instanceof Chunk.Reasoning reasoning) {
                hold(Kind.REASONING, reasoning.text());
            } else if (chunk instanceof Chunk.Text text) {
                hold(Kind.TEXT, text.text());
            } else {
                emitHeld(false);
                out.accept(chunk);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Emits everything held (end of stream, or before a non-text chunk). */
    public void flush() {
        lock.lock();
        try {
            if (!closed) {
                emitHeld(false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cancels pending timers; nothing is emitted afterwards (what is still held is dropped: call {@link #flush()} first). */
    public void close() {
        lock.lock();
        try {
            closed = true;
            cancelTimer();
            held.setLength(0);
        } finally {
            lock.unlock();
        }
    }

    private void hold(Kind kind, String text) {
        if (text.isEmpty()) {
            return; // carries nothing, and must not count as a type change (that would split held text)
        }
        if (kind != heldKind && held.length() > 0) {
            emitHeld(false);
        }
        heldKind = kind;
        held.append(text);
        if (minCharsReached() || intervalElapsed()) {
            emitHeld(true);
        }
        if (held.length() > 0) {
            ensureTimer();
        }
    }

    private boolean minCharsReached() {
        return options.minChars() > 0 && held.length() >= options.minChars();
    }

    private boolean intervalElapsed() {
        return intervalNanos > 0 && (!emittedYet || scheduler.nanoTime() - lastEmitNanos >= intervalNanos);
    }

    /**
     * Emits what is held as one chunk.
     *
     * @param keepHighSurrogate keep a trailing high surrogate back, since its low half may come next
     */
    private void emitHeld(boolean keepHighSurrogate) {
        int end = held.length();
        if (keepHighSurrogate && end > 0 && Character.isHighSurrogate(held.charAt(end - 1))) {
            end--;
        }
        if (end == 0) {
            return;
        }
        String text = held.substring(0, end);
        held.delete(0, end);
        cancelTimer();
        emittedYet = true;
        lastEmitNanos = scheduler.nanoTime();
        out.accept(heldKind == Kind.REASONING ? new Chunk.Reasoning(text) : new Chunk.Text(text));
    }

    /** With an interval, held text must go out once T has passed since the last emission. */
    private void ensureTimer() {
        if (intervalNanos == 0 || timerToken != null) {
            return;
        }
        long delay = emittedYet ? Math.max(0, lastEmitNanos + intervalNanos - scheduler.nanoTime()) : 0;
        Object token = new Object();
        timerToken = token;
        cancelTimer = scheduler.schedule(() -> onTimer(token), delay);
    }

    private void onTimer(Object token) {
        lock.lock();
        try {
            if (closed || token != timerToken) {
                return;
            }
            timerToken = null;
            cancelTimer = null;
            emitHeld(true);
        } finally {
            lock.unlock();
        }
    }

    private void cancelTimer() {
        if (cancelTimer != null) {
            cancelTimer.run();
        }
        timerToken = null;
        cancelTimer = null;
    }
}
