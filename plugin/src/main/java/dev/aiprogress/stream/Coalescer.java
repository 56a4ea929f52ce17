package dev.aiprogress.stream;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Batches ({@code min-chars}) and throttles ({@code interval-ms}) reasoning/text chunks before they
 * become events. Adaptive mode (0/0, the default) passes every chunk on at once; merging while a
 * socket send is in flight is the realtime outbox's job.
 *
 * <p>STUB: the API is fixed; the batching implementation lands with the coalescer work. It
 * currently passes everything through.
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

    private final Consumer<Chunk> out;

    /**
     * @param out receives chunks in order; with a non-zero interval it may be called from the
     *            scheduler's thread, never concurrently with another call for this coalescer
     */
    public Coalescer(Options options, TaskScheduler scheduler, Consumer<Chunk> out) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(scheduler, "scheduler");
        this.out = Objects.requireNonNull(out, "out");
    }

    public void accept(Chunk chunk) {
        out.accept(chunk);
    }

    /** Emits everything held (end of stream, or before a non-text chunk). */
    public void flush() {
    }

    /** Cancels pending timers; nothing is emitted afterwards. */
    public void close() {
    }
}
