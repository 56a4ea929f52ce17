package dev.aiprogress.gateway;

import dev.aiprogress.provider.ProviderFailure;

import java.time.Duration;
import java.util.Optional;

/**
 * Why one attempt ended badly, with what routing needs to decide on a retry.
 *
 * @param blamesProvider false when the request itself caused the failure (the upstream refused it
 *                       as a bad request, e.g. a model it does not know) or our own code did: such a
 *                       failure says nothing about the provider's health, so readiness ignores it
 */
record AttemptFailure(FailureCode code, String message, boolean retryable, Optional<Duration> retryAfter,
                      boolean blamesProvider) {

    AttemptFailure(FailureCode code, String message, boolean retryable, Optional<Duration> retryAfter) {
        this(code, message, retryable, retryAfter, true);
    }

    static AttemptFailure of(ProviderFailure failure, String providerName) {
        return new AttemptFailure(FailureCode.of(failure.kind()),
                "The model provider '" + providerName + "' failed: " + failure.message(),
                failure.retryable(), failure.retryAfter(),
                !failure.causedByRequest() && failure.kind() != ProviderFailure.Kind.INTERNAL);
    }

    /** Not retried on the same provider: a provider that was slow once is likely slow again; the next one is tried. */
    static AttemptFailure firstTokenTimeout(String providerName, Duration timeout) {
        return new AttemptFailure(FailureCode.FIRST_TOKEN_TIMEOUT,
                "The model provider '" + providerName + "' sent no answer within " + describe(timeout) + ".",
                false, Optional.empty());
    }

    static AttemptFailure internal(String providerName) {
        return new AttemptFailure(FailureCode.INTERNAL,
                "The model provider '" + providerName + "' could not be called because of an internal error.",
                false, Optional.empty(), false);
    }

    private static String describe(Duration d) {
        long millis = d.toMillis();
        if (millis % 1000 == 0) {
            long seconds = millis / 1000;
            return seconds == 1 ? "1 second" : seconds + " seconds";
        }
        return millis + " ms";
    }
}
