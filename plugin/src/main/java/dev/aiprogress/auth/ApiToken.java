package dev.aiprogress.auth;

import java.util.Objects;

/**
 * An API token as a caller presents it ({@code Authorization: token <key>:<secret>}, or the agent
 * endpoint's {@code api_key}). {@link #toString()} never shows the secret.
 */
public record ApiToken(String key, String secret) {

    public ApiToken {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "ApiToken[" + key + ":***]";
    }
}
