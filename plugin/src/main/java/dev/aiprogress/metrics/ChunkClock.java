package dev.aiprogress.metrics;

/**
 * The plugin's own overhead per chunk, sampled: a provider's body reader calls {@link #start} when
 * it read an upstream buffer and {@link #stop} once that buffer is processed; the outbox calls
 * {@link #handedToSocket} right before giving a frame to the socket. Both ends run on the same
 * thread when the frame goes out at once (adaptive emit, no send in flight), which is the path this
 * measures; a frame that waited in an outbox or a coalescer timer is sent from another thread and
 * is not sampled (that wait is the socket's or the throttle's, not the plugin's work).
 *
 * <p>Cost when off ({@link PluginMetrics#timesChunks()} false): one boolean test per buffer and one
 * thread-local read per frame. When on, one buffer in {@value #SAMPLE_EVERY} is timed.
 */
public final class ChunkClock {

    static final int SAMPLE_EVERY = 8;

    private static final ThreadLocal<ChunkClock> CURRENT = ThreadLocal.withInitial(ChunkClock::new);

    private PluginMetrics sink = PluginMetrics.NONE;
    private long startedAt;
    private boolean running;
    private int buffers;

    private ChunkClock() {
    }

    /** An upstream buffer was read on this thread; returns whether this buffer is sampled. */
    public static boolean start(PluginMetrics metrics) {
        if (!metrics.timesChunks()) {
            return false;
        }
        ChunkClock c = CURRENT.get();
        if (++c.buffers % SAMPLE_EVERY != 1 % SAMPLE_EVERY) {
            return false;
        }
        c.sink = metrics;
        c.startedAt = System.nanoTime();
        c.running = true;
        return true;
    }

    /** The buffer {@link #start} sampled is processed: later frames on this thread are not its. */
    public static void stop(boolean sampled) {
        if (sampled) {
            ChunkClock c = CURRENT.get();
            c.running = false;
            c.sink = PluginMetrics.NONE;
        }
    }

    /** A frame is about to be handed to a socket on this thread. */
    public static void handedToSocket() {
        ChunkClock c = CURRENT.get();
        if (c.running) {
            c.sink.chunkOverhead(System.nanoTime() - c.startedAt);
        }
    }
}
