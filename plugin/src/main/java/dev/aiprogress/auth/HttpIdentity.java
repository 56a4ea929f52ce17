package dev.aiprogress.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is asking over HTTP, first match wins: container principal → the configured session
 * attribute → the user the login endpoint stored → {@code Authorization: token <key>:<secret>} →
 * guest {@code guest:<random id kept in the session>} when enabled. The user of a request with a
 * session is remembered in the {@link SessionRegistry}, so that session's sockets find the same user.
 */
public final class HttpIdentity {

    /** Request attribute holding the resolved user id (a String). */
    public static final String USER_ATTRIBUTE = "dev.aiprogress.user";
    /** Session attribute the login endpoint stores the user in. */
    public static final String LOGIN_SESSION_ATTRIBUTE = "dev.aiprogress.login-user";
    private static final String GUEST_SESSION_ATTRIBUTE = "dev.aiprogress.guest-user";

    private final AuthOptions options;
    private final Tokens tokens;
    private final SessionRegistry sessions;

    public HttpIdentity(AuthOptions options, Tokens tokens, SessionRegistry sessions) {
        this.options = Objects.requireNonNull(options, "options");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /** The user the identity filter stored on this request. */
    public static Optional<String> user(HttpServletRequest request) {
        return request.getAttribute(USER_ATTRIBUTE) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** The user of a request: first match of the sources above, or empty. */
    public Optional<String> resolve(HttpServletRequest request) {
        HttpSession existing = request.getSession(false);
        HttpSession session = existing;
        Optional<String> user = fromPrincipal(request)
                .or(() -> fromSession(existing))
                .or(() -> Credentials.token(request.getHeader("Authorization")).flatMap(tokens::userFor));
        if (user.isEmpty() && options.allowGuest()) {
            HttpSession guestSession = session != null ? session : request.getSession(true);
            user = Optional.of(guestFor(guestSession));
            session = guestSession;
        }
        if (user.isPresent() && session != null) {
            sessions.remember(session.getId(), user.get());
        }
        return user;
    }

    /** The user of a body credential ({@code api_key}, {@code key:secret}), checked like a token. */
    public Optional<String> userForApiKey(String keyAndSecret) {
        return tokens.userFor(keyAndSecret);
    }

    /**
     * A login succeeded on {@code session} (already renewed): the session, the registry and this
     * request now carry {@code user}.
     */
    public void loggedIn(HttpServletRequest request, HttpSession session, String user) {
        session.setAttribute(LOGIN_SESSION_ATTRIBUTE, user);
        sessions.remember(session.getId(), user);
        request.setAttribute(USER_ATTRIBUTE, user);
    }

    /** A logout: the session maps to no one, and its sockets close. */
    public void loggedOut(HttpSession session) {
        sessions.forget(session.getId());
    }

    /** One guest per session, its random id kept in the session (see {@link Guests}). */
    private static String guestFor(HttpSession session) {
        synchronized (session) {
            if (session.getAttribute(GUEST_SESSION_ATTRIBUTE) instanceof String existing) {
                return existing;
            }
            String guest = Guests.newId();
            session.setAttribute(GUEST_SESSION_ATTRIBUTE, guest);
            return guest;
        }
    }

    private static Optional<String> fromPrincipal(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return principal == null ? Optional.empty() : nonBlank(principal.getName());
    }

    private Optional<String> fromSession(HttpSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Optional<String> configured = options.sessionAttribute().flatMap(name -> attributeText(session.getAttribute(name)));
            return configured.or(() -> attributeText(session.getAttribute(LOGIN_SESSION_ATTRIBUTE)));
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }

    /** A String attribute as is; a Principal by its name; anything else by toString (apps store user objects). */
    private static Optional<String> attributeText(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Principal p) {
            return nonBlank(p.getName());
        }
        return nonBlank(value.toString());
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
