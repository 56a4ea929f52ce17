package dev.aiprogress.gateway;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/** The wait before retrying one provider, by the rules of {@link GatewayOptions.Retry}. */
final class Backoff {

    private final GatewayOptions.Retry retry;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1), for the jitter */
    Backoff(GatewayOptions.Retry retry, DoubleSupplier random) {
        this.retry = Objects.requireNonNull(retry, "retry");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param attemptsSoFar attempts already made on this provider (>= 1)
     * @return the wait before the next attempt, or empty when this provider should not be tried again
     */
    Optional<Duration> nextDelay(int attemptsSoFar, Optional<Duration> retryAfter) {
        if (attemptsSoFar >= retry.maxAttempts()) {
            return Optional.empty();
        }
        if (retryAfter.isPresent() && retryAfter.get().compareTo(retry.retryAfterCap()) > 0) {
            // Waiting less than the upstream asked would only earn another 429; waiting longer than
            // the cap keeps the user staring at nothing. Give this provider up instead.
            return Optional.empty();
        }
        long exponential = exponentialNanos(attemptsSoFar);
        long jittered = exponential - (long) (exponential * retry.jitter() * random.getAsDouble());
        long wait = Math.max(jittered, retryAfter.map(Duration::toNanos).orElse(0L));
        return Optional.of(Duration.ofNanos(wait));
    }

    private long exponentialNanos(int attemptsSoFar) {
        long base = retry.baseBackoff().toNanos();
        long max = retry.maxBackoff().toNanos();
        int doublings = Math.min(attemptsSoFar - 1, 62);
        if (base == 0) {
            return 0;
        }
        if (doublings >= Long.numberOfLeadingZeros(base) - 1) {
            return max;
        }
        return Math.min(max, base << doublings);
    }
}
