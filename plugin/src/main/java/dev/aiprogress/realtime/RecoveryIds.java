package dev.aiprogress.realtime;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Socket.IO recovery ids ({@code pid}) this node handed out or recovered, each with its owner and
 * how many sockets use it now; a pid whose last socket left is forgotten once the replay window has
 * passed ({@link #sweep}). Lock-free: one {@link ConcurrentHashMap}, each record replaced atomically.
 */
final class RecoveryIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param live       sockets currently attached with this pid (a reconnect may recover before the old socket is noticed gone)
     * @param detachedAt nanos when the last of them left, 0 while any is live
     */
    private record PidRecord(String userId, int live, long detachedAt) {
    }

    private final ConcurrentHashMap<String, PidRecord> pids = new ConcurrentHashMap<>();

    /** A new, unguessable pid (not recorded until {@link #attached}). */
    static String newPid() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether this node knows {@code pid} and it belongs to {@code userId}. */
    boolean ownedBy(String pid, String userId) {
        PidRecord record = pids.get(pid);
        return record != null && record.userId.equals(userId);
    }

    /** Whether this node knows {@code pid} for a user other than {@code userId}. */
    boolean ownedByAnother(String pid, String userId) {
        PidRecord record = pids.get(pid);
        return record != null && !record.userId.equals(userId);
    }

    /** One more socket of {@code userId} uses {@code pid} (a new one, or a recovery here or from another node). */
    void attached(String pid, String userId) {
        pids.merge(pid, new PidRecord(userId, 1, 0L), (old, fresh) -> new PidRecord(old.userId, old.live + 1, 0L));
    }

    /** A socket with {@code pid} left; when it was the last, the pid's window starts at {@code nowNanos}. */
    void detached(String pid, long nowNanos) {
        pids.computeIfPresent(pid, (p, r) -> r.live > 1
                ? new PidRecord(r.userId, r.live - 1, 0L)
                : new PidRecord(r.userId, 0, Math.max(1L, nowNanos)));
    }

    /** Forgets the pids whose last socket left more than {@code maxAgeNanos} ago. */
    void sweep(long nowNanos, long maxAgeNanos) {
        pids.entrySet().removeIf(e -> e.getValue().detachedAt != 0L && nowNanos - e.getValue().detachedAt > maxAgeNanos);
    }
}
