package dev.aiprogress.provider;

/** Control over one running stream. */
public interface StreamHandle {

    /**
     * Closes the upstream connection promptly. Idempotent; if the stream has not ended yet the
     * listener then gets {@code onFailure} with {@link ProviderFailure.Kind#CANCELLED}.
     */
    void cancel();
}
