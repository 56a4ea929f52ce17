package dev.aiprogress.gateway;

import dev.aiprogress.metrics.GenerationRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The operators' line: one INFO record per generation at its end, id {@code AIP-030}, e.g.
 * <pre>AIP-030 generation task=Qx3… user=5e884898da28 provider=openai model=gpt-4o ttft_ms=412 duration_ms=5310 chunks=187 outcome=ok</pre>
 * The user is the first 12 hex digits of the SHA-256 of the user id (correlates lines without
 * naming anyone); no message text, no key, no token. {@code ttft_ms=-} when no token came;
 * {@code outcome} is {@code ok} or the failure's {@code AIP-0xx} code.
 */
final class GenerationLog {

    static final String LOGGER = "dev.aiprogress.generation";

    private static final System.Logger LOG = System.getLogger(LOGGER);

    private GenerationLog() {
    }

    static void ended(GenerationRecord r, String userId) {
        if (!LOG.isLoggable(System.Logger.Level.INFO)) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, line(r, userId));
    }

    static String line(GenerationRecord r, String userId) {
        return "AIP-030 generation task=" + r.taskId()
                + " user=" + userHash(userId)
                + " provider=" + r.provider()
                + " model=" + printable(r.model())
                + " ttft_ms=" + (r.firstTokenNanos().isPresent() ? String.valueOf(r.firstTokenNanos().getAsLong() / 1_000_000L) : "-")
                + " duration_ms=" + r.durationNanos() / 1_000_000L
                + " chunks=" + r.chunks()
                + " outcome=" + r.outcome();
    }

    /** The model comes from the request: one token of at most 100 visible ASCII characters (no log forging). */
    static String printable(String value) {
        if (value.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), 100));
        for (int i = 0; i < value.length() && b.length() < 100; i++) {
            char c = value.charAt(i);
            b.append(c > ' ' && c < 0x7f ? c : '_');
        }
        return b.toString();
    }

    /** First 12 hex digits of SHA-256(user id). */
    static String userHash(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
