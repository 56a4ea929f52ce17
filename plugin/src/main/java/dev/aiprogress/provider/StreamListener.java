package dev.aiprogress.provider;

import dev.aiprogress.stream.Delta;

/** Receives one stream's deltas, serially. Must not block: it runs on the HTTP client's threads. */
public interface StreamListener {

    void onDelta(Delta delta);

    /** The upstream sent its end marker ({@code [DONE]}, {@code message_stop}, {@code done:true}, a finish reason). */
    void onComplete();

    /** The stream ended any other way. Deltas already delivered stay valid (partial text is kept). */
    void onFailure(ProviderFailure failure);
}
