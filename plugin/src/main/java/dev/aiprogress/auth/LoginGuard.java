package dev.aiprogress.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * The failed-login slow-down (README "HTTP endpoints").
 *
 * @param maxFailuresPerUser    consecutive failures for one user name before it is locked
 * @param maxFailuresPerAddress failures from one client address before it is locked (higher:
 *                              many people may share an address)
 * @param lockout               the first lock; each further failure doubles it, up to 16 times
 */
public record LoginGuard(int maxFailuresPerUser, int maxFailuresPerAddress, Duration lockout) {
    public LoginGuard {
        Objects.requireNonNull(lockout, "lockout");
    }
}
