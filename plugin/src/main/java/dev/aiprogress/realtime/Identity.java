package dev.aiprogress.realtime;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the user of a socket, first match wins (docs/CLIENT-PROTOCOL.md, "CONNECT and identity"): a session cookie of the upgrade
 * request ({@code sid}, then {@code JSESSIONID}), then the Socket.IO {@code auth.sid}, then an
 * {@code Authorization: token key:secret} header. Also decides the Origin policy.
 */
public final class Identity {

    private static final List<String> SESSION_COOKIES = List.of("sid", "JSESSIONID");

    private Identity() {
    }

    public static Optional<String> resolve(UpgradeRequest request, Optional<String> authSid, UserLookup lookup) {
        return resolveWho(request, authSid, lookup).map(Who::user);
    }

    /**
     * Who is on a socket, and through which HTTP session (empty for a token), so the socket can
     * end with that session ({@link UserLookup#whenSessionEnds}).
     */
    public record Who(String user, Optional<String> sessionId) {
    }

    public static Optional<Who> resolveWho(UpgradeRequest request, Optional<String> authSid, UserLookup lookup) {
        for (String name : SESSION_COOKIES) {
            Optional<String> id = request.cookie().flatMap(header -> cookieValue(header, name))
                    .map(Identity::normaliseSessionId)
                    .filter(s -> !s.isEmpty());
            Optional<String> user = id.flatMap(lookup::userForSession);
            if (user.isPresent()) {
                return Optional.of(new Who(user.get(), id));
            }
        }
        Optional<String> authId = authSid.map(Identity::normaliseSessionId).filter(s -> !s.isEmpty());
        Optional<String> fromAuth = authId.flatMap(lookup::userForSession);
        if (fromAuth.isPresent()) {
            return Optional.of(new Who(fromAuth.get(), authId));
        }
        return request.authorization().flatMap(Identity::tokenCredential).flatMap(lookup::userForToken)
                .map(user -> new Who(user, Optional.empty()));
    }

    /**
     * Strips what containers append to a session id in the cookie: Jetty's {@code .node0} (worker
     * name) and Tomcat's {@code .<jvmRoute>}. Session ids themselves never contain a dot.
     */
    public static String normaliseSessionId(String raw) {
        String id = raw.trim();
        if (id.length() >= 2 && id.startsWith("\"") && id.endsWith("\"")) {
            id = id.substring(1, id.length() - 1);
        }
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
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

    /** {@code key:secret} of an {@code Authorization: token key:secret} header. */
    static Optional<String> tokenCredential(String header) {
        String h = header.trim();
        if (h.length() > 6 && h.substring(0, 6).toLowerCase(Locale.ROOT).equals("token ")) {
            String credential = h.substring(6).trim();
            if (credential.indexOf(':') > 0) {
                return Optional.of(credential);
            }
        }
        return Optional.empty();
    }

    /**
     * The Origin policy against cross-site WebSocket hijacking: no {@code Origin} (non-browser
     * clients such as the VS Code extension) is allowed; otherwise it must be in {@code allowed},
     * or, when that list is empty, name the same host (and port) as the {@code Host} header.
     */
    public static boolean originAllowed(Optional<String> origin, Optional<String> host, List<String> allowed) {
        if (origin.isEmpty()) {
            return true;
        }
        String o = origin.get().trim();
        if (!allowed.isEmpty()) {
            return allowed.contains(o);
        }
        int scheme = o.indexOf("://");
        if (scheme < 0 || host.isEmpty()) {
            return false;
        }
        String originHost = o.substring(scheme + 3).toLowerCase(Locale.ROOT);
        String hostHeader = host.get().trim().toLowerCase(Locale.ROOT);
        return originHost.equals(hostHeader)
                || originHost.equals(withoutDefaultPort(hostHeader, o.startsWith("https") ? ":443" : ":80"))
                || withoutDefaultPort(originHost, o.startsWith("https") ? ":443" : ":80").equals(hostHeader);
    }

    private static String withoutDefaultPort(String hostPort, String defaultPort) {
        return hostPort.endsWith(defaultPort) ? hostPort.substring(0, hostPort.length() - defaultPort.length()) : hostPort;
    }
}
