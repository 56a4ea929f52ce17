package dev.aiprogress.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading credentials off a request, the same for HTTP and both socket transports: session ids
 * from the {@code Cookie} header (or a Socket.IO {@code auth.sid}), and API tokens from
 * {@code Authorization: token <key>:<secret>} or a {@code key:secret} text. Plain Java: the
 * realtime protocol cores use it.
 */
public final class Credentials {

    /** Cookies that may carry the session id, in the order they are tried: Frappe's name, then the servlet default. */
    public static final List<String> SESSION_COOKIES = List.of("sid", "JSESSIONID");

    private static final String TOKEN_SCHEME = "token ";

    private Credentials() {
    }

    /** The session ids a {@code Cookie} header carries, normalised, in {@link #SESSION_COOKIES} order. */
    public static List<String> sessionIds(Optional<String> cookieHeader) {
        List<String> ids = new ArrayList<>(SESSION_COOKIES.size());
        if (cookieHeader.isPresent()) {
            for (String name : SESSION_COOKIES) {
                cookieValue(cookieHeader.get(), name).map(Credentials::normaliseSessionId)
                        .filter(id -> !id.isEmpty()).ifPresent(ids::add);
            }
        }
        return ids;
    }

    /** The value of cookie {@code name} in a {@code Cookie} header. */
    public static Optional<String> cookieValue(String header, String name) {
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                return Optional.of(pair.substring(eq + 1).trim());
            }
        }
        return Optional.empty();
    }

    /**
     * A session id as the registry knows it: without quotes, and without what containers append in
     * the cookie (Jetty's {@code .node0} worker name, Tomcat's {@code .<jvmRoute>}); session ids
     * themselves never contain a dot.
     */
    public static String normaliseSessionId(String raw) {
        String id = raw.trim();
        if (id.length() >= 2 && id.startsWith("\"") && id.endsWith("\"")) {
            id = id.substring(1, id.length() - 1);
        }
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    /** Whether an {@code Authorization} header uses the {@code token} scheme (anything else, Basic or Bearer, is not ours). */
    public static boolean isTokenScheme(String authorization) {
        return authorization != null && authorization.trim().regionMatches(true, 0, TOKEN_SCHEME, 0, TOKEN_SCHEME.length());
    }

    /** The token of an {@code Authorization: token <key>:<secret>} header. */
    public static Optional<ApiToken> token(String authorization) {
        if (!isTokenScheme(authorization)) {
            return Optional.empty();
        }
        return apiToken(authorization.trim().substring(TOKEN_SCHEME.length()));
    }

    /** A {@code key:secret} text (the part after {@code token }, or an {@code api_key}); both parts non-empty. */
    public static Optional<ApiToken> apiToken(String keyAndSecret) {
        String text = keyAndSecret.trim();
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new ApiToken(text.substring(0, colon), text.substring(colon + 1)));
    }
}
