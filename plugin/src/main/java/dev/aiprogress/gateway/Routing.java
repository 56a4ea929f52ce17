package dev.aiprogress.gateway;

import java.time.Duration;
import java.util.List;

/**
 * Where one generation's next attempt goes: the candidate providers in order, how often the
 * current one was tried, and the retry/fallback decision after a failure before the first token.
 * Not thread-safe: the generation's lock guards it.
 */
final class Routing {

    /** After an early failure: retry the same provider after {@code delay}, try the next one now, or give up. */
    record Decision(Kind kind, Duration delay) {
        enum Kind { RETRY, FALL_BACK, GIVE_UP }
    }

    private final List<ConfiguredProvider> candidates;
    private final Backoff backoff;
    private int index;
    private int attempts;

    Routing(List<ConfiguredProvider> candidates, Backoff backoff) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("at least one candidate provider is needed");
        }
        this.candidates = List.copyOf(candidates);
        this.backoff = backoff;
    }

    ConfiguredProvider provider() {
        return candidates.get(index);
    }

    /** Attempts made on the current provider. */
    int attempts() {
        return attempts;
    }

    void attemptStarted() {
        attempts++;
    }

    Decision afterEarlyFailure(AttemptFailure failure) {
        if (failure.retryable()) {
            var delay = backoff.nextDelay(attempts, failure.retryAfter());
            if (delay.isPresent()) {
                return new Decision(Decision.Kind.RETRY, delay.get());
            }
        }
        if (index + 1 < candidates.size()) {
            index++;
            attempts = 0;
            return new Decision(Decision.Kind.FALL_BACK, Duration.ZERO);
        }
        return new Decision(Decision.Kind.GIVE_UP, Duration.ZERO);
    }
}
