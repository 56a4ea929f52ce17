package dev.aiprogress.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one Origin rule of HTTP and both socket transports. */
class OriginPolicyTest {

    private static final OriginPolicy DEFAULT = new OriginPolicy(List.of());

    @Test
    void allows_defaultPolicy_isSameHostOrNoOrigin() {
        assertTrue(DEFAULT.allows(Optional.empty(), Optional.of("h:8080")));
        assertTrue(DEFAULT.allows(Optional.of("http://h:8080"), Optional.of("h:8080")));
        assertTrue(DEFAULT.allows(Optional.of("https://h"), Optional.of("h:443")));
        assertTrue(DEFAULT.allows(Optional.of("http://h:80"), Optional.of("h")));
        assertFalse(DEFAULT.allows(Optional.of("http://evil:8080"), Optional.of("h:8080")));
        assertFalse(DEFAULT.allows(Optional.of("http://h:8081"), Optional.of("h:8080")));
        assertFalse(DEFAULT.allows(Optional.of("null"), Optional.of("h")));
        assertFalse(DEFAULT.allows(Optional.of("http://h"), Optional.empty()));
    }

    @Test
    void allows_configuredOrigins_besidesTheOwnHost() {
        OriginPolicy policy = new OriginPolicy(List.of("https://app.example"));
        assertTrue(policy.allows(Optional.of("https://app.example"), Optional.of("h")));
        // README: the request's own host is always allowed, a list only adds origins
        assertTrue(policy.allows(Optional.of("https://h"), Optional.of("h:443")));
        assertFalse(policy.allows(Optional.of("https://other.example"), Optional.of("h")));
        assertFalse(policy.allows(Optional.of("http://app.example"), Optional.of("h")));
    }

    /** RFC 6454: scheme and host compare case-insensitively, on both sides of the comparison. */
    @Test
    void allows_schemeAndHost_caseInsensitive() {
        OriginPolicy policy = new OriginPolicy(List.of("https://App.Example"));
        assertTrue(policy.allows(Optional.of("HTTPS://app.EXAMPLE"), Optional.of("h")));
        assertTrue(DEFAULT.allows(Optional.of("HTTP://H:8080"), Optional.of("h:8080")));
        assertTrue(DEFAULT.allows(Optional.of("http://h:8080"), Optional.of("H:8080")));
    }
}
