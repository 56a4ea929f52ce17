package dev.aiprogress.provider;

import java.util.Map;
import java.util.Objects;

/**
 * @param pathAndQuery appended to the provider's base URL, e.g. {@code /chat/completions}
 * @param headers      extra request headers, including authentication; the transport adds
 *                     {@code Content-Type: application/json} and {@code Accept}
 * @param body         the JSON request body as text
 */
public record UpstreamCall(String pathAndQuery, Map<String, String> headers, String body) {
    public UpstreamCall {
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** Headers are not printed: they hold the API key. */
    @Override
    public String toString() {
        return "UpstreamCall[" + pathAndQuery + ", headers=" + headers.keySet() + ", body=" + body.length() + " chars]";
    }
}
