package dev.aiprogress.realtime;

import dev.aiprogress.auth.SocketIdentity;

import java.util.Optional;

/**
 * How the realtime side learns who is on a socket; the bootstrap implements it over the
 * {@code auth} session registry and token verifiers. Session ids arrive already normalised
 * ({@link dev.aiprogress.auth.Credentials#normaliseSessionId}).
 */
public interface UserLookup {

    /**
     * Who is on a socket opened by {@code request} (and, for Socket.IO, whose CONNECT carried
     * {@code authSid}), by the rules of {@link SocketIdentity}.
     */
    default Optional<SocketIdentity.Who> identify(UpgradeRequest request, Optional<String> authSid) {
        return SocketIdentity.resolve(request.cookie(), authSid, request.authorization(), this::userForSession,
                this::userForToken);
    }

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
