package dev.aiprogress.gateway;

import dev.aiprogress.provider.ProviderFailure;

/**
 * Why a task failed, as a stable id that stays searchable in logs and client code
 * ({@code error.code} of the {@code error} event and of the failure reply). One per failure kind;
 * numbers are never reused.
 */
public enum FailureCode {
    /** The upstream answered with a non-2xx HTTP status (after retries and fallback). */
    UPSTREAM_HTTP_STATUS("AIP-010", "upstream_http_status"),
    /** The upstream could not be reached (refused, DNS, TLS, connect timeout). */
    UPSTREAM_CONNECT("AIP-011", "upstream_connect"),
    /** No first token (reasoning, text or tool call) within the first-token timeout. */
    FIRST_TOKEN_TIMEOUT("AIP-012", "first_token_timeout"),
    /** The running stream was silent for longer than the provider's idle timeout. */
    IDLE_TIMEOUT("AIP-013", "idle_timeout"),
    /** The stream ended or broke before its end marker. */
    TRUNCATED("AIP-014", "truncated"),
    /** The upstream sent something that is not its wire format. */
    MALFORMED("AIP-015", "malformed"),
    /** The upstream reported an error inside a running stream. */
    UPSTREAM_ERROR("AIP-016", "upstream_error"),
    /** The owner cancelled the task, the client went away, or the server is shutting down. */
    CANCELLED("AIP-017", "cancelled"),
    /** A bug on our side (a provider threw instead of reporting a failure, or a stream listener threw). */
    INTERNAL("AIP-018", "internal");

    private final String code;
    private final String errorId;

    FailureCode(String code, String errorId) {
        this.code = code;
        this.errorId = errorId;
    }

    /** The stable id, {@code AIP-0xx}. */
    public String code() {
        return code;
    }

    /** The failure kind in words, the {@code error} field of the event and the reply. */
    public String errorId() {
        return errorId;
    }

    /** The code of a provider-reported failure. */
    public static FailureCode of(ProviderFailure.Kind kind) {
        return switch (kind) {
            case HTTP_STATUS -> UPSTREAM_HTTP_STATUS;
            case CONNECT -> UPSTREAM_CONNECT;
            case IDLE_TIMEOUT -> IDLE_TIMEOUT;
            case TRUNCATED -> TRUNCATED;
            case MALFORMED -> MALFORMED;
            case UPSTREAM_ERROR -> UPSTREAM_ERROR;
            case CANCELLED -> CANCELLED;
            case INTERNAL -> INTERNAL;
        };
    }
}
