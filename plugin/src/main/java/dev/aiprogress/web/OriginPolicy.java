package dev.aiprogress.web;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses state-changing requests from foreign pages (docs/CLIENT-PROTOCOL.md "Origin": a POST carrying a foreign
 * {@code Origin} → 403; no {@code Origin} is allowed, since the VS Code client sends none).
 * Allowed: the request's own host (the {@code Host} header, scheme ignored, so a TLS-terminating
 * proxy does not break it) and the configured {@code ai-progress.origins}.
 */
final class OriginPolicy {

    private final List<String> allowed;

    OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }

    boolean allows(HttpServletRequest request) {
        if (!"POST".equalsIgnoreCase(request.getMethod())) {
            return true;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        if (allowed.contains(normalized)) {
            return true;
        }
        Optional<String> originHost = hostPort(normalized);
        String host = request.getHeader("Host");
        return originHost.isPresent() && host != null && originHost.get().equals(withDefaultPort(host.toLowerCase(Locale.ROOT), normalized));
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
