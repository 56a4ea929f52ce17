package dev.aiprogress.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.security.Principal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is asking (docs/ARCHITECTURE.md; README "Identity and API tokens"), first match wins: container principal → configured session
 * attribute → the user {@link LoginServlet} stored → {@code Authorization: token key:secret} →
 * guest {@code guest:<random id kept in the session>} when enabled. The resolved user of a request with a session is
 * remembered in {@link SessionRegistry} so its sockets find the same user.
 */
public final class Identity implements AutoCloseable {

    /** Request attribute holding the resolved user id (a String). */
    public static final String USER_ATTRIBUTE = "dev.aiprogress.user";
    /** Session attribute {@link LoginServlet} stores the user in. */
    public static final String LOGIN_SESSION_ATTRIBUTE = "dev.aiprogress.login-user";
    public static final String GUEST_PREFIX = "guest:";
    private static final String GUEST_SESSION_ATTRIBUTE = "dev.aiprogress.guest-user";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Config.Auth auth;
    private final List<TokenVerifier> verifiers;
    private final SessionRegistry sessions;

    public Identity(Config.Auth auth, List<TokenVerifier> verifiers, SessionRegistry sessions) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.verifiers = List.copyOf(verifiers);
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /** The user the filter stored on this request. */
    /** The user the filter resolved, or a 401 Frappe error. */
    public static String requiredUser(HttpServletRequest request) {
        return user(request).orElseThrow(() -> FrappeError.unauthorized("Not logged in"));
    }

    public static Optional<String> user(HttpServletRequest request) {
        return request.getAttribute(USER_ATTRIBUTE) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /**
     * The user of a call whose body may carry credentials (agent {@code api_key}): the filter's
     * user, else the api key checked like a token; neither → 401.
     */
    public String requireUser(HttpServletRequest request, ChatCall call) {
        return user(request)
                .or(() -> call.apiKey().flatMap(this::verifyToken))
                .orElseThrow(() -> FrappeError.unauthorized(call.apiKey().isPresent()
                        ? "Invalid API token" : "Not logged in: log in, send Authorization: token <key>:<secret> or api_key"));
    }

    public Optional<String> resolve(HttpServletRequest request) {
        HttpSession existing = request.getSession(false);
        HttpSession session = existing;
        Optional<String> user = fromPrincipal(request)
                .or(() -> fromSession(existing))
                .or(() -> fromAuthorization(request.getHeader("Authorization")));
        if (user.isEmpty() && auth.allowGuest()) {
            HttpSession guestSession = session != null ? session : request.getSession(true);
            user = Optional.of(guestFor(guestSession));
            session = guestSession;
        }
        if (user.isPresent() && session != null) {
            sessions.remember(session.getId(), user.get());
        }
        return user;
    }

    /**
     * {@code guest:<id>}, one per session. The id is random and kept in the session rather than
     * being the session id itself: user ids reach logs and replies, session ids must not.
     */
    private static String guestFor(HttpSession session) {
        synchronized (session) {
            if (session.getAttribute(GUEST_SESSION_ATTRIBUTE) instanceof String existing) {
                return existing;
            }
            byte[] random = new byte[12];
            RANDOM.nextBytes(random);
            String guest = GUEST_PREFIX + HexFormat.of().formatHex(random);
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
            Optional<String> configured = auth.sessionAttribute().flatMap(name -> attributeText(session.getAttribute(name)));
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

    /** {@code token <key>:<secret>}; anything else (Basic, Bearer) is not ours to judge. */
    Optional<String> fromAuthorization(String header) {
        if (header == null || !header.regionMatches(true, 0, "token ", 0, 6)) {
            return Optional.empty();
        }
        return verifyToken(header.substring(6).trim());
    }

    /** Checks {@code key:secret} against every verifier (the agent endpoint's {@code api_key} too). */
    public Optional<String> verifyToken(String keyAndSecret) {
        int colon = keyAndSecret.indexOf(':');
        if (colon <= 0 || colon == keyAndSecret.length() - 1) {
            return Optional.empty();
        }
        String key = keyAndSecret.substring(0, colon);
        String secret = keyAndSecret.substring(colon + 1);
        for (TokenVerifier verifier : verifiers) {
            Optional<String> user = verifier.userFor(key, secret);
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    @Override
    public void close() {
        for (TokenVerifier verifier : verifiers) {
            verifier.close();
        }
    }
}
