package dev.aiprogress.web;

import java.util.Optional;

/**
 * Checks {@code Authorization: token <key>:<secret>} (and the agent endpoint's {@code api_key}).
 * Implementations are found with {@link java.util.ServiceLoader} under
 * {@code META-INF/services/dev.aiprogress.web.TokenVerifier} (public no-arg constructor), and are
 * asked after the built-in {@link FileTokenVerifier} (when {@code ai-progress.auth.tokens-file} is
 * set); the first that knows the token wins. Called on request threads, concurrently.
 */
public interface TokenVerifier extends AutoCloseable {

    /** The user the token belongs to, or empty when the key is unknown or the secret wrong. */
    Optional<String> userFor(String key, String secret);

    /** Releases what the verifier holds; called on undeploy. */
    @Override
    default void close() {
    }
}
