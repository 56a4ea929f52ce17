package dev.aiprogress.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request {@link MockUpstream} received.
 *
 * @param target  the request target as sent: path and query, e.g. {@code /v1/chat/completions}
 * @param headers header names lower-cased, values in the order received
 * @param body    the body decoded as UTF-8
 */
public record RecordedRequest(String method, String target, Map<String, List<String>> headers, String body) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header (name case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
