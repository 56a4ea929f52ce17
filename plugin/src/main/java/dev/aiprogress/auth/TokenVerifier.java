package dev.aiprogress.auth;

import java.util.Optional;

/**
 * The SPI that checks API tokens: {@code Authorization: token <key>:<secret>} on HTTP and on the
 * socket endpoints, and the agent endpoint's {@code api_key}. Implementations are found with
 * {@link java.util.ServiceLoader} under {@code META-INF/services/dev.aiprogress.auth.TokenVerifier}
 * (public no-arg constructor) and asked after the built-in {@link FileTokenVerifier} (when
 * {@code ai-progress.auth.tokens-file} is set); the first that knows the token wins. A listing under
 * the SPI's former name, {@code dev.aiprogress.web.TokenVerifier}, is not read and is logged as
 * AIP-008. Called on request and WebSocket threads, concurrently.
 */
public interface TokenVerifier extends AutoCloseable {

    /** The user the token belongs to, or empty when the key is unknown or the secret wrong. */
    Optional<String> userFor(String key, String secret);

    /** Releases what the verifier holds; called on undeploy. */
    @Override
    default void close() {
    }
}
