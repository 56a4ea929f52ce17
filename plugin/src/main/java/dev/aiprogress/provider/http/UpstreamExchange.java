package dev.aiprogress.provider.http;

/** One request in flight. */
public interface UpstreamExchange {

    /**
     * Abandons the exchange from any thread: its connection is closed (so the upstream sees the
     * client go) and the handler hears nothing more. Idempotent.
     */
    void cancel();
}
