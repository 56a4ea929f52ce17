package dev.aiprogress.web.ops;

import java.util.Map;

/** JMX view {@code dev.aiprogress:type=Generations,context="<path>"}: the gateway's figures. */
public interface GenerationsMXBean {

    int getActive();

    long getStarted();

    long getCompleted();

    /** Failed generations, cancellations not included. */
    long getFailed();

    long getCancellations();

    long getRetries();

    long getFallbacks();

    /** Reasoning, text and tool-call deltas received. */
    long getChunks();

    /** AIP code → failed generations. */
    Map<String, Long> getErrorsByCode();

    /** "provider/model" → estimated p50 time to first token, ms. */
    Map<String, Long> getTimeToFirstTokenP50Millis();

    Map<String, Long> getTimeToFirstTokenP99Millis();

    Map<String, Long> getDurationP50Millis();

    Map<String, Long> getDurationP99Millis();

    /** provider → "ok", "error AIP-0xx" or "none" (readiness). */
    Map<String, String> getProviderLastOutcome();
}
