package dev.aiprogress.gateway;

import dev.aiprogress.provider.ProviderFailure;

import java.time.Duration;
import java.util.Optional;

/** Why one attempt ended badly, with what routing needs to decide on a retry. */
record AttemptFailure(FailureCode code, String message, boolean retryable, Optional<Duration> retryAfter) {

    static AttemptFailure of(ProviderFailure failure, String providerName) {
        return new AttemptFailure(FailureCode.of(failure.kind()),
                "The model provider '" + providerName + "' failed: " + failure.message(),
                failure.retryable(), failure.retryAfter());
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
                false, Optional.empty());
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
