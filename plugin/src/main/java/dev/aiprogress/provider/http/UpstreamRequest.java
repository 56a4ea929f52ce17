package dev.aiprogress.provider.http;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A POST to send: the absolute {@code http} or {@code https} URI, the headers (the client adds
 * {@code Host}, {@code Content-Length} and {@code User-Agent}), and the body.
 */
public record UpstreamRequest(URI uri, List<Map.Entry<String, String>> headers, byte[] body) {

    public UpstreamRequest {
        Objects.requireNonNull(uri, "uri");
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("only http and https URIs can be sent");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the URI has no host");
        }
        for (Map.Entry<String, String> h : headers) {
            // a line break in a value would start a header of its own (the name is checked when sent)
            if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("the value of header " + h.getKey() + " holds a line break");
            }
        }
    }

    boolean https() {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    int port() {
        return uri.getPort() >= 0 ? uri.getPort() : https() ? 443 : 80;
    }

    /** Headers and body are not printed: they hold the API key and the user's messages. */
    @Override
    public String toString() {
        return "UpstreamRequest[" + uri.getScheme() + "://" + uri.getHost() + ":" + port() + ", " + body.length + " bytes]";
    }
}
