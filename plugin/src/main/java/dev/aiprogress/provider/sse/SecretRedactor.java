package dev.aiprogress.provider.sse;

import java.util.Optional;

/**
 * Removes the configured API key from text meant for users and logs: an upstream may echo the
 * key (or the whole {@code Authorization} value) in an error body.
 */
public final class SecretRedactor {

    static final String MASK = "[redacted]";

    private final Optional<String> secret;

    public SecretRedactor(Optional<String> secret) {
        this.secret = secret.filter(s -> !s.isBlank());
    }

    public String redact(String text) {
        if (secret.isEmpty()) {
            return text;
        }
        String key = secret.get();
        return text.replace("Bearer " + key, "Bearer " + MASK).replace(key, MASK);
    }
}
