package dev.aiprogress.realtime;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Socket.IO offset a client sends back to recover, as the {@link Hub} writes it.
 *
 * <p>On one node it is the number of the event in its user's window on this node, e.g. {@code 17}.
 * On many nodes that number means nothing elsewhere, so the offset also says which node numbered it
 * and how far the socket had got in each of the user's tasks, which every node can read against the
 * cluster's shared window (task ids and seqs are the same everywhere):
 * {@code 17.<node tag>~<seq>.<task id>~<seq>.<task id>}. Example: {@code 42.Qm7xT2ab~12.t-1~3.t-2}.
 * A task id never holds {@code ~}; a seq is digits, so the first {@code .} after it ends it.
 *
 * @param offset  the number on the node that handed it out
 * @param nodeTag that node's tag; empty on one node
 * @param seen    task id → last seq the socket had of it, for each task in that node's window; empty on one
 *                node, or when the window held more than {@link #MAX_TASKS} tasks
 */
public record RecoveryOffset(long offset, Optional<String> nodeTag, Map<String, Long> seen) {

    /** Tasks an offset carries at most (a user's tasks of the last replay window; ≈ 20 bytes each). */
    public static final int MAX_TASKS = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    public RecoveryOffset {
        Objects.requireNonNull(nodeTag, "nodeTag");
        seen = Collections.unmodifiableMap(new LinkedHashMap<>(seen));
    }

    /** A node tag: 8 random base64url characters. */
    static String newNodeTag() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Reads an offset a client sent; empty for anything this server did not write. */
    public static Optional<RecoveryOffset> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 32 + MAX_TASKS * 90) {
            return Optional.empty();
        }
        int i = 0;
        while (i < text.length() && i < 19 && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 18) {
            return Optional.empty();
        }
        long offset = Long.parseLong(text.substring(0, i));
        if (i == text.length()) {
            return Optional.of(new RecoveryOffset(offset, Optional.empty(), Map.of()));
        }
        if (text.charAt(i) != '.') {
            return Optional.empty();
        }
        String[] parts = text.substring(i + 1).split("~", -1);
        String tag = parts[0];
        if (!tag.matches("[A-Za-z0-9_-]{1,16}") || parts.length - 1 > MAX_TASKS) {
            return Optional.empty();
        }
        Map<String, Long> seen = new LinkedHashMap<>();
        for (int p = 1; p < parts.length; p++) {
            String part = parts[p];
            int dot = part.indexOf('.');
            if (dot < 1 || dot > 18 || !part.substring(0, dot).chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            String taskId = part.substring(dot + 1);
            if (!taskId.matches("[A-Za-z0-9_.:-]{1,64}") || seen.put(taskId, Long.parseLong(part.substring(0, dot))) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(new RecoveryOffset(offset, Optional.of(tag), seen));
    }
}
