package dev.aiprogress.auth;


import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failed-login slow-down on a manual clock: when it locks, for how long, and that its memory is bounded. */
class FailedLoginsTest {

    private final AtomicLong now = new AtomicLong(1_000_000L);
    private final LoginGuard guard = new LoginGuard(3, 10, Duration.ofSeconds(30));

    private FailedLogins logins(int maxTracked) {
        return new FailedLogins(guard, now::get, maxTracked);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void lockAfterMaxFailures_thenDoublingPerFurtherFailure_thenOpenAgain() {
        FailedLogins f = logins(100);
        f.failed("bob", "10.0.0.1");
        f.failed("bob", "10.0.0.1");
        assertEquals(Optional.empty(), f.retryAfter("bob", "10.0.0.1"));
        f.failed("bob", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(30)), f.retryAfter("bob", "10.0.0.2"));
        f.failed("bob", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(60)), f.retryAfter("bob", "10.0.0.2"));
        advance(Duration.ofSeconds(60));
        assertEquals(Optional.empty(), f.retryAfter("bob", "10.0.0.2"));
        assertEquals(Optional.empty(), f.retryAfter("alice", "10.0.0.2"));
    }

    @Test
    void success_clearsTheName_notTheAddress() {
        FailedLogins f = logins(100);
        for (int i = 0; i < 9; i++) {
            f.failed("name" + (i % 2), "10.0.0.1");
        }
        f.succeeded("name0");
        f.failed("name0", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(30)), f.retryAfter("someone", "10.0.0.1"));
    }

    @Test
    void entries_forgottenByAge_onSweep() {
        FailedLogins f = logins(100);
        f.failed("bob", "10.0.0.1");
        assertEquals(1, f.trackedUsers());
        advance(FailedLogins.forgetAfter(guard).plusSeconds(1));
        f.sweep();
        assertEquals(0, f.trackedUsers());
        assertEquals(0, f.trackedAddresses());
    }

    @Test
    void entries_cappedWhateverIsSent_longNamesKeptAsShortHashes() {
        FailedLogins f = logins(50);
        String huge = "x".repeat(1 << 20);
        for (int i = 0; i < 1_000; i++) {
            f.failed(huge + i, "10.0.0." + (i % 200));
        }
        assertEquals(50, f.trackedUsers());
        assertEquals(50, f.trackedAddresses());
        assertTrue(f.retryAfter(huge + 999, "10.0.0.199").isEmpty());
    }
}
