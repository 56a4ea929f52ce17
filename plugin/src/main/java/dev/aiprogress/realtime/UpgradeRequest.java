package dev.aiprogress.realtime;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the realtime side keeps of a WebSocket upgrade request: the headers identity and origin
 * checks need, and the query parameters. Header values are the first value sent.
 */
public record UpgradeRequest(Optional<String> cookie, Optional<String> authorization, Optional<String> origin,
                             Optional<String> host, Map<String, String> query) {

    public UpgradeRequest {
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(host, "host");
        query = Map.copyOf(query);
    }

    public static UpgradeRequest empty() {
        return new UpgradeRequest(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }

    /**
     * The first value of each query parameter, parsed from the raw query string (a broken escape
     * drops its parameter, as a container's own parser would). Not {@code getParameterMap()}: Jetty
     * builds and keeps its parameter structures for the life of a WebSocket session once asked,
     * ≈0.5 KB per idle Socket.IO socket (issue 6, T8).
     */
    public static Map<String, String> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                query.putIfAbsent(name, value);
            } catch (IllegalArgumentException malformed) {
                // a broken escape: the parameter is ignored
            }
        }
        return Map.copyOf(query);
    }
}
