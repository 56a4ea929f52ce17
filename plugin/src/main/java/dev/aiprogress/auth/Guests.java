package dev.aiprogress.auth;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Guest user ids ({@code ai-progress.auth.allow-guest}): {@code guest:<24 hex digits>}, random,
 * one per HTTP session or per socket nobody is known for. Never the session id itself: user ids
 * reach logs and replies, session ids must not.
 */
public final class Guests {

    public static final String PREFIX = "guest:";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Guests() {
    }

    public static String newId() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return PREFIX + HexFormat.of().formatHex(random);
    }
}
