package dev.aiprogress.gateway;

import dev.aiprogress.event.ProgressEvent;

/**
 * The caller's view of one generation (the web layer writes SSE and the final reply from it).
 * Calls are serial and in {@code seq} order; {@link #onFinished} comes once, after the last event.
 * Must not block: it runs on HTTP client and scheduler threads.
 */
public interface GenerationObserver {

    GenerationObserver NONE = new GenerationObserver() {
    };

    default void onEvent(ProgressEvent event) {
    }

    default void onFinished(GenerationResult result) {
    }
}
