package dev.aiprogress.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The failed-login slow-down: per user name and per client address, after
 * {@link LoginGuard#maxFailuresPerUser()} (resp. {@code maxFailuresPerAddress}) failures
 * every login for that name (resp. from that address) is refused for
 * {@link LoginGuard#lockout()}, doubled with each further failure up to 16 times.
 *
 * <p>Memory is bounded whatever an attacker sends: user names are kept only as a 128-bit hash
 * (a 1 MiB name costs 22 characters, and no name is held in clear), each map holds at most
 * {@code maxTracked} entries (the least recently failed one goes first), and an entry is
 * forgotten {@link #forgetAfter} after its last failure ({@link #sweep()}, run on the shared
 * scheduler). A successful login clears its name's failures, never its address's. Guarded by {@code this}.
 */
public final class FailedLogins {

    /** Entries kept per map by default: ≈ 1 MB each at most. */
    public static final int DEFAULT_MAX_TRACKED = 10_000;
    private static final int MAX_DOUBLINGS = 4;

    private record Entry(int failures, long lastFailureNanos, long lockedUntilNanos) {
    }

    private final LoginGuard guard;
    private final LongSupplier nanoClock;
    private final int maxTracked;
    private final long forgetAfterNanos;
    private final LinkedHashMap<String, Entry> users = new LinkedHashMap<>();
    private final LinkedHashMap<String, Entry> addresses = new LinkedHashMap<>();

    public FailedLogins(LoginGuard guard, LongSupplier nanoClock, int maxTracked) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.maxTracked = maxTracked;
        this.forgetAfterNanos = forgetAfter(guard).toNanos();
    }

    /** How long an entry outlives its last failure: the longest lock, and at least 15 minutes. */
    static Duration forgetAfter(LoginGuard guard) {
        Duration longest = guard.lockout().multipliedBy(1L << MAX_DOUBLINGS);
        return longest.compareTo(Duration.ofMinutes(15)) > 0 ? longest : Duration.ofMinutes(15);
    }

    /** Empty when a login for {@code user} from {@code address} may be tried now; else how long to wait. */
    public synchronized Optional<Duration> retryAfter(String user, String address) {
        long now = nanoClock.getAsLong();
        long until = Math.max(lockedUntil(users, key(user), now), lockedUntil(addresses, address, now));
        return until > now ? Optional.of(Duration.ofNanos(until - now)) : Optional.empty();
    }

    public synchronized void failed(String user, String address) {
        long now = nanoClock.getAsLong();
        count(users, key(user), guard.maxFailuresPerUser(), now);
        count(addresses, address, guard.maxFailuresPerAddress(), now);
    }

    public synchronized void succeeded(String user) {
        users.remove(key(user));
    }

    /** Forgets entries whose last failure is older than {@link #forgetAfter}. */
    public synchronized void sweep() {
        long now = nanoClock.getAsLong();
        expire(users, now);
        expire(addresses, now);
    }

    synchronized int trackedUsers() {
        return users.size();
    }

    synchronized int trackedAddresses() {
        return addresses.size();
    }

    private static long lockedUntil(Map<String, Entry> map, String key, long now) {
        Entry e = map.get(key);
        return e == null ? now : e.lockedUntilNanos();
    }

    private void count(LinkedHashMap<String, Entry> map, String key, int maxFailures, long now) {
        Entry old = map.get(key);
        if (old != null && now - old.lastFailureNanos() > forgetAfterNanos) {
            old = null;
        }
        int failures = old == null ? 1 : old.failures() + 1;
        long lockedUntil = old == null ? now : old.lockedUntilNanos();
        if (failures >= maxFailures) {
            int doublings = Math.min(failures - maxFailures, MAX_DOUBLINGS);
            lockedUntil = now + guard.lockout().toNanos() * (1L << doublings);
        }
        // removed and put again: insertion order is then the order of the last failures
        map.remove(key);
        map.put(key, new Entry(failures, now, lockedUntil));
        Iterator<Entry> oldest = map.values().iterator();
        while (map.size() > maxTracked && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private void expire(Map<String, Entry> map, long now) {
        map.values().removeIf(e -> now - e.lastFailureNanos() > forgetAfterNanos && e.lockedUntilNanos() <= now);
    }

    /** 128 bits of SHA-256 of the name: bounded size, and no user name kept in clear. */
    private static String key(String user) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
