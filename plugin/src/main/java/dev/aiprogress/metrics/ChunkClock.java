package dev.aiprogress.metrics;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The plugin's own overhead per chunk, sampled: a provider's body reader calls {@link #start} when
 * it read an upstream buffer and {@link #stop} once that buffer is processed; the outbox calls
 * {@link #handedToSocket} right before giving a frame to the socket. Both ends run on the same
 * thread when the frame goes out at once (adaptive emit, no send in flight), which is the path this
 * measures; a frame that waited in an outbox or a coalescer timer is sent from another thread and
 * is not sampled (that wait is the socket's or the throttle's, not the plugin's work).
 *
 * <p>Cost when off ({@link PluginMetrics#timesChunks()} false): one call per buffer and one
 * thread-local read per frame. When on, about one buffer in {@value #SAMPLE_EVERY} is timed. The
 * thread-local is set and removed around one buffer on the reading thread, so no container thread
 * ever keeps a value of ours (no class-loader leak on undeploy).
 */
public final class ChunkClock {

    static final int SAMPLE_EVERY = 8;

    private static final ThreadLocal<ChunkClock> CURRENT = new ThreadLocal<>();

    private final PluginMetrics sink;
    private final long startedAt;

    private ChunkClock(PluginMetrics sink, long startedAt) {
        this.sink = sink;
        this.startedAt = startedAt;
    }

    /** An upstream buffer was read on this thread; returns whether this buffer is sampled. */
    public static boolean start(PluginMetrics metrics) {
        if (!metrics.timesChunks() || ThreadLocalRandom.current().nextInt(SAMPLE_EVERY) != 0) {
            return false;
        }
        CURRENT.set(new ChunkClock(metrics, System.nanoTime()));
        return true;
    }

    /** The buffer {@link #start} sampled is processed: later frames on this thread are not its. */
    public static void stop(boolean sampled) {
        if (sampled) {
            CURRENT.remove();
        }
    }

    /** A frame is about to be handed to a socket on this thread. */
    public static void handedToSocket() {
        ChunkClock c = CURRENT.get();
        if (c != null) {
            c.sink.chunkOverhead(System.nanoTime() - c.startedAt);
        }
    }
}
