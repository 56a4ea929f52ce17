package dev.aiprogress.provider.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status line and headers of a response.
 *
 * @param http11  the response said {@code HTTP/1.1} (not 1.0)
 * @param headers by lower-case name, values in the order received
 */
public record ResponseHead(int status, boolean http11, Map<String, List<String>> headers) {

    public ResponseHead {
        headers = Map.copyOf(headers);
    }

    /** All values of a header (name in any case). */
    public List<String> values(String name) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    public Optional<String> firstValue(String name) {
        List<String> v = values(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** True when a comma-separated header (such as {@code Connection}) holds {@code token}. */
    boolean hasToken(String name, String token) {
        for (String value : values(name)) {
            for (String t : value.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
