package dev.aiprogress.web;

import dev.aiprogress.auth.TokenVerifier;

import java.util.Optional;

/** A {@link TokenVerifier} found by ServiceLoader (test resources): knows one token, {@code svc:ok} → {@code svc-user}. */
public final class FixedTokenVerifier implements TokenVerifier {

    @Override
    public Optional<String> userFor(String key, String secret) {
        return key.equals("svc") && secret.equals("ok") ? Optional.of("svc-user") : Optional.empty();
    }
}
