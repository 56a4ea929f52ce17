package dev.aiprogress.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one rule for a request's {@code Origin}, against cross-site requests and WebSocket
 * hijacking; the HTTP filter applies it to POSTs, both socket transports to every connection:
 * <ul>
 *   <li>no {@code Origin}: allowed (non-browser clients such as the VS Code extension send none);</li>
 *   <li>the request's own host: the origin's {@code host[:port]} equals the {@code Host} header,
 *       default ports made explicit (scheme otherwise ignored, so a TLS-terminating proxy does not
 *       break it);</li>
 *   <li>one of the configured {@code ai-progress.origins}.</li>
 * </ul>
 * Origins compare case-insensitively (scheme and host are; an origin has no path).
 */
public record OriginPolicy(List<String> allowed) {

    public OriginPolicy {
        allowed = allowed.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).toList();
    }

    public boolean allows(Optional<String> origin, Optional<String> host) {
        if (origin.isEmpty()) {
            return true;
        }
        String normalised = origin.get().trim().toLowerCase(Locale.ROOT);
        if (allowed.contains(normalised)) {
            return true;
        }
        Optional<String> originHost = hostPort(normalised);
        return originHost.isPresent() && host.isPresent()
                && originHost.get().equals(withDefaultPort(host.get().trim().toLowerCase(Locale.ROOT), normalised));
    }

    /** {@code host:port} of an origin, the port made explicit; empty for {@code null} or junk. */
    private static Optional<String> hostPort(String origin) {
        try {
            URI uri = new URI(origin);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return Optional.empty();
            }
            int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
            return Optional.of(uri.getHost() + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String withDefaultPort(String host, String origin) {
        if (host.matches(".*:\\d+$") && !host.endsWith("]")) {
            return host;
        }
        return host + ":" + (origin.startsWith("https:") ? 443 : 80);
    }
}
