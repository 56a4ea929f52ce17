package dev.aiprogress.realtime;

import java.util.Optional;

/**
 * How the realtime side learns who is on a socket; {@code web} implements it over its session
 * registry and token verifier. Session ids arrive already normalised (see {@link Identity}).
 */
public interface UserLookup {

    /** The user of a live HTTP session, by its (normalised) session id. */
    Optional<String> userForSession(String sessionId);

    /** The user of an {@code Authorization: token key:secret} credential ({@code key:secret} given). */
    default Optional<String> userForToken(String keyAndSecret) {
        return Optional.empty();
    }

    /**
     * Runs {@code action} once when the HTTP session {@code sessionId} ends (logout, expiry, or a
     * login as someone else on it), so sockets opened with that session stop receiving the user's
     * events. Returns what unregisters it (call when the socket closes first).
     */
    default Runnable whenSessionEnds(String sessionId, Runnable action) {
        return () -> { };
    }

    /**
     * A new guest user of its own for a socket nobody is known for, when guests are allowed
     * ({@code ai-progress.auth.allow-guest}); empty (refuse the socket) by default.
     */
    default Optional<String> newGuest() {
        return Optional.empty();
    }
}
