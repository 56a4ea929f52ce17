package dev.aiprogress.auth;

import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the user of a socket (Socket.IO over either transport, or the plain JSON endpoint), first
 * match wins: a session cookie of the opening request ({@code sid}, then {@code JSESSIONID}), then
 * the Socket.IO {@code auth.sid}, then {@code Authorization: token <key>:<secret>}. Sessions are
 * looked up in the registry the HTTP side keeps current, tokens by the same verifiers as HTTP;
 * the realtime side passes both lookups in. Plain Java.
 */
public final class SocketIdentity {

    /**
     * Who is on a socket, and through which HTTP session (empty for a token), so the socket can end
     * with that session.
     */
    public record Who(String user, Optional<String> sessionId) {
    }

    private SocketIdentity() {
    }

    /**
     * @param cookieHeader   the {@code Cookie} header of the opening request
     * @param authSid        the Socket.IO CONNECT packet's {@code auth.sid}
     * @param authorization  the {@code Authorization} header of the opening request
     * @param userForSession the user of a live session, by its normalised id
     * @param userForToken   the user of a {@code key:secret} token
     */
    public static Optional<Who> resolve(Optional<String> cookieHeader, Optional<String> authSid,
                                        Optional<String> authorization,
                                        Function<String, Optional<String>> userForSession,
                                        Function<String, Optional<String>> userForToken) {
        for (String id : Credentials.sessionIds(cookieHeader)) {
            Optional<String> user = userForSession.apply(id);
            if (user.isPresent()) {
                return Optional.of(new Who(user.get(), Optional.of(id)));
            }
        }
        Optional<String> authId = authSid.map(Credentials::normaliseSessionId).filter(s -> !s.isEmpty());
        Optional<String> fromAuth = authId.flatMap(userForSession);
        if (fromAuth.isPresent()) {
            return Optional.of(new Who(fromAuth.get(), authId));
        }
        return authorization.flatMap(Credentials::token)
                .flatMap(token -> userForToken.apply(token.key() + ":" + token.secret()))
                .map(user -> new Who(user, Optional.empty()));
    }
}
