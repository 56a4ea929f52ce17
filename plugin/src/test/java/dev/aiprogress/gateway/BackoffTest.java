package dev.aiprogress.gateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    private static final GatewayOptions.Retry RETRY =
            new GatewayOptions.Retry(20, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30), 0.2);

    @Test
    void nextDelay_doublesPerAttemptUpToMax() {
        Backoff backoff = new Backoff(RETRY, () -> 0);

        assertEquals(Optional.of(Duration.ofMillis(500)), backoff.nextDelay(1, Optional.empty()));
        assertEquals(Optional.of(Duration.ofMillis(1000)), backoff.nextDelay(2, Optional.empty()));
        assertEquals(Optional.of(Duration.ofMillis(4000)), backoff.nextDelay(4, Optional.empty()));
        assertEquals(Optional.of(Duration.ofSeconds(8)), backoff.nextDelay(5, Optional.empty()));
        assertEquals(Optional.of(Duration.ofSeconds(8)), backoff.nextDelay(19, Optional.empty()));
    }

    @Test
    void nextDelay_jitter_shortensByUpToItsShare() {
        Backoff backoff = new Backoff(RETRY, () -> 0.5);

        assertEquals(Optional.of(Duration.ofMillis(900)), backoff.nextDelay(2, Optional.empty()));
    }

    @Test
    void nextDelay_attemptsExhausted_empty() {
        Backoff backoff = new Backoff(RETRY, () -> 0);

        assertEquals(Optional.empty(), backoff.nextDelay(20, Optional.empty()));
    }

    @Test
    void nextDelay_retryAfter_isTheFloorUpToTheCap() {
        Backoff backoff = new Backoff(RETRY, () -> 0);

        assertEquals(Optional.of(Duration.ofSeconds(30)), backoff.nextDelay(1, Optional.of(Duration.ofSeconds(30))));
        assertEquals(Optional.of(Duration.ofMillis(1000)), backoff.nextDelay(2, Optional.of(Duration.ofMillis(10))));
        assertEquals(Optional.empty(), backoff.nextDelay(1, Optional.of(Duration.ofSeconds(31))));
    }
}
