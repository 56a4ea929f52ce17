package dev.aiprogress.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a stream did not complete. {@code message} is written for the user: it never holds an API
 * key, a request body or a stack trace.
 *
 * @param httpStatus the upstream status for {@link Kind#HTTP_STATUS}, else 0
 * @param retryAfter the upstream's {@code Retry-After}, when it sent one
 */
public record ProviderFailure(Kind kind, int httpStatus, Optional<Duration> retryAfter, String message) {

    public enum Kind {
        /** Could not connect (refused, DNS, TLS, connect timeout). */
        CONNECT,
        /** The upstream answered with a non-2xx status. */
        HTTP_STATUS,
        /** No bytes for longer than the idle timeout. */
        IDLE_TIMEOUT,
        /** The upstream reported an error inside a 200 stream. */
        UPSTREAM_ERROR,
        /** The body ended (or the connection broke) before the end marker. */
        TRUNCATED,
        /** The upstream sent something that is not its wire format. */
        MALFORMED,
        /** {@link StreamHandle#cancel()} was called. */
        CANCELLED,
        /** A bug on our side while handling the stream (a listener threw); the upstream is not to blame. */
        INTERNAL
    }

    public ProviderFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(message, "message");
    }

    public static ProviderFailure of(Kind kind, String message) {
        return new ProviderFailure(kind, 0, Optional.empty(), message);
    }

    public static ProviderFailure httpStatus(int status, Optional<Duration> retryAfter, String message) {
        return new ProviderFailure(Kind.HTTP_STATUS, status, retryAfter, message);
    }

    /**
     * The upstream refused this request for what it asked (400, 404 — e.g. a model it does not
     * know —, 413, 422 and the other 4xx), not for the provider's state: 401/403 (the configured
     * key), 408 and 429 (capacity) are the provider's side.
     */
    public boolean causedByRequest() {
        return kind == Kind.HTTP_STATUS && httpStatus >= 400 && httpStatus < 500
                && httpStatus != 401 && httpStatus != 403 && httpStatus != 408 && httpStatus != 429;
    }

    /** Worth another try (before the first token): connect errors, 408, 429 and 5xx. */
    public boolean retryable() {
        return switch (kind) {
            case CONNECT -> true;
            case HTTP_STATUS -> httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
            case UPSTREAM_ERROR, IDLE_TIMEOUT, TRUNCATED, MALFORMED, CANCELLED, INTERNAL -> false;
        };
    }
}
