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
}
