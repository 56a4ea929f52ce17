package dev.aiprogress.metrics;

/**
 * Where the gateway and the providers report what operators count. Every method is a no-op by
 * default and must not block or throw: they run on HTTP client and scheduler threads, some while a
 * generation's lock is held. Implementations live in {@code web} (own counters, JMX, Micrometer).
 */
public interface PluginMetrics {

    /** Records nothing. */
    PluginMetrics NONE = new PluginMetrics() {
    };

    /** Outcome label of a generation or attempt that succeeded. */
    String OK = "ok";

    /** A generation was accepted and its first attempt is about to start. */
    default void generationStarted() {
    }

    /** An attempt failed before its first token and the same provider is tried again. */
    default void retry(String provider) {
    }

    /** An attempt failed before its first token and the next provider is tried. */
    default void fallback(String fromProvider, String toProvider) {
    }

    /**
     * One provider call ended, for readiness: {@link #OK} or the failure's {@code AIP-0xx} code.
     * Cancellations are not reported (they say nothing about the provider).
     */
    default void attemptEnded(String provider, String outcome) {
    }

    /** A generation ended (once per generation, after its last event). */
    default void generationEnded(GenerationRecord record) {
    }

    /** True when {@link #chunkOverhead} wants samples; false keeps {@link ChunkClock} off the hot path. */
    default boolean timesChunks() {
        return false;
    }

    /** Sampled: nanoseconds from an upstream buffer being read to a frame handed to a socket. */
    default void chunkOverhead(long nanos) {
    }
}
