package dev.aiprogress.auth;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who is on a socket: cookies, then the Socket.IO auth.sid, then a token; session ids normalised. */
class SocketIdentityTest {

    private static Optional<String> userForSession(String sessionId) {
        return Optional.ofNullable(Map.of("abc123", "alice", "xyz", "bob").get(sessionId));
    }

    private static Optional<String> userForToken(String keyAndSecret) {
        return keyAndSecret.equals("k:s") ? Optional.of("carol") : Optional.empty();
    }

    private static Optional<String> resolve(String cookie, String authorization, Optional<String> authSid) {
        return SocketIdentity.resolve(Optional.ofNullable(cookie), authSid, Optional.ofNullable(authorization),
                SocketIdentityTest::userForSession, SocketIdentityTest::userForToken).map(SocketIdentity.Who::user);
    }

    @Test
    void resolve_jettyAndTomcatSuffixedCookies_areNormalised() {
        assertEquals(Optional.of("alice"), resolve("sid=abc123.node0", null, Optional.empty()));
        assertEquals(Optional.of("alice"), resolve("a=1; JSESSIONID=abc123.route7", null, Optional.empty()));
    }

    @Test
    void resolve_cookieBeforeAuthSidBeforeToken() {
        assertEquals(Optional.of("bob"), resolve("sid=xyz", "token k:s", Optional.of("abc123")));
        assertEquals(Optional.of("alice"), resolve("sid=unknown", "token k:s", Optional.of("abc123")));
        assertEquals(Optional.of("carol"), resolve(null, "token k:s", Optional.of("nope")));
        assertEquals(Optional.empty(), resolve(null, "Bearer k:s", Optional.empty()));
    }

    @Test
    void resolve_sessionOrToken_saysWhichSessionTheSocketEndsWith() {
        assertEquals(Optional.of(new SocketIdentity.Who("alice", Optional.of("abc123"))),
                SocketIdentity.resolve(Optional.of("sid=\"abc123.node0\""), Optional.empty(), Optional.empty(),
                        SocketIdentityTest::userForSession, SocketIdentityTest::userForToken));
        assertEquals(Optional.of(new SocketIdentity.Who("carol", Optional.empty())),
                SocketIdentity.resolve(Optional.empty(), Optional.empty(), Optional.of("token k:s"),
                        SocketIdentityTest::userForSession, SocketIdentityTest::userForToken));
    }
}
