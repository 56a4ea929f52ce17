package dev.aiprogress.gateway;

import dev.aiprogress.stream.Coalescer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the gateway routes, retries, times out and emits. Read from configuration by
 * {@link GatewayKeys}; the rest of the gateway never reads configuration.
 *
 * @param providerOrder        provider names, in fallback order, used when a request names none
 * @param firstTokenTimeout    longest wait for an attempt's first token (reasoning, text or tool call);
 *                             on expiry that attempt is cancelled and the next provider is tried
 * @param retry                retries of one provider before its first token
 * @param compatEvents         emit the Oropendola {@code thinking}/{@code complete} events
 * @param emit                 batching/throttling of reasoning and text deltas
 * @param maxLivePerUser       concurrent running generations one user may have (beyond → 429)
 * @param finishedRetention    how long a finished task is remembered (a cancel then answers "already finished")
 * @param finishedTasksKept    at most this many finished tasks are kept, the oldest go first
 * @param clock                wall clock for event timestamps and durations
 */
public record GatewayOptions(
        List<String> providerOrder,
        Duration firstTokenTimeout,
        Retry retry,
        boolean compatEvents,
        Coalescer.Options emit,
        int maxLivePerUser,
        Duration finishedRetention,
        int finishedTasksKept,
        Clock clock) {

    public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_LIVE_PER_USER = 4;
    public static final Duration DEFAULT_FINISHED_RETENTION = Duration.ofSeconds(60);
    public static final int DEFAULT_FINISHED_TASKS_KEPT = 1000;

    public GatewayOptions {
        providerOrder = List.copyOf(providerOrder);
        if (providerOrder.isEmpty()) {
            throw new IllegalArgumentException("providers: at least one provider name is needed");
        }
        if (providerOrder.stream().distinct().count() != providerOrder.size()) {
            throw new IllegalArgumentException("providers: a name is listed twice: " + providerOrder);
        }
        requirePositive(firstTokenTimeout, "firstTokenTimeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(emit, "emit");
        if (maxLivePerUser < 1) {
            throw new IllegalArgumentException("maxLivePerUser must be >= 1, was " + maxLivePerUser);
        }
        Objects.requireNonNull(finishedRetention, "finishedRetention");
        if (finishedRetention.isNegative()) {
            throw new IllegalArgumentException("finishedRetention must not be negative, was " + finishedRetention);
        }
        if (finishedTasksKept < 0) {
            throw new IllegalArgumentException("finishedTasksKept must be >= 0, was " + finishedTasksKept);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** The defaults for a provider order, on the UTC system clock. */
    public static GatewayOptions defaults(List<String> providerOrder) {
        return new GatewayOptions(providerOrder, DEFAULT_FIRST_TOKEN_TIMEOUT, Retry.DEFAULT, true,
                Coalescer.Options.ADAPTIVE, DEFAULT_MAX_LIVE_PER_USER,
                DEFAULT_FINISHED_RETENTION, DEFAULT_FINISHED_TASKS_KEPT, Clock.systemUTC());
    }

    /**
     * Retries of one provider before its first token, for failures that are worth it
     * ({@link dev.aiprogress.provider.ProviderFailure#retryable()}: connect errors, 408, 429, 5xx).
     * The n-th retry waits {@code min(maxBackoff, baseBackoff * 2^(n-1))}, shortened by up to
     * {@code jitter} (0..1) of itself at random, and never less than the upstream's
     * {@code Retry-After}. A {@code Retry-After} longer than {@code retryAfterCap} is not waited
     * for: that provider is given up (fallback to the next one, or the task fails).
     *
     * @param maxAttempts attempts per provider including the first; 1 = no retries
     */
    public record Retry(int maxAttempts, Duration baseBackoff, Duration maxBackoff, Duration retryAfterCap,
                        double jitter) {

        public static final Retry DEFAULT =
                new Retry(3, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30), 0.2);
        public static final Retry NONE = new Retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);

        /** The same cap, ceiling and jitter with other attempts and first backoff. */
        public Retry withAttempts(int attempts, Duration firstBackoff) {
            return new Retry(attempts, firstBackoff, maxBackoff, retryAfterCap, jitter);
        }

        public Retry {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("retry.maxAttempts must be >= 1, was " + maxAttempts);
            }
            requireNotNegative(baseBackoff, "retry.baseBackoff");
            requireNotNegative(maxBackoff, "retry.maxBackoff");
            requireNotNegative(retryAfterCap, "retry.retryAfterCap");
            if (maxBackoff.compareTo(baseBackoff) < 0) {
                throw new IllegalArgumentException("retry.maxBackoff must be >= retry.baseBackoff");
            }
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("retry.jitter must be within 0..1, was " + jitter);
            }
        }
    }

    public GatewayOptions withProviderOrder(List<String> order) {
        return new GatewayOptions(order, firstTokenTimeout, retry, compatEvents, emit, maxLivePerUser,
                finishedRetention, finishedTasksKept, clock);
    }

    public GatewayOptions withRetry(Retry newRetry) {
        return new GatewayOptions(providerOrder, firstTokenTimeout, newRetry, compatEvents, emit, maxLivePerUser,
                finishedRetention, finishedTasksKept, clock);
    }

    public GatewayOptions withFirstTokenTimeout(Duration timeout) {
        return new GatewayOptions(providerOrder, timeout, retry, compatEvents, emit, maxLivePerUser,
                finishedRetention, finishedTasksKept, clock);
    }

    public GatewayOptions withCompatEvents(boolean on) {
        return new GatewayOptions(providerOrder, firstTokenTimeout, retry, on, emit, maxLivePerUser,
                finishedRetention, finishedTasksKept, clock);
    }

    public GatewayOptions withEmit(Coalescer.Options newEmit) {
        return new GatewayOptions(providerOrder, firstTokenTimeout, retry, compatEvents, newEmit, maxLivePerUser,
                finishedRetention, finishedTasksKept, clock);
    }

    public GatewayOptions withMaxLivePerUser(int max) {
        return new GatewayOptions(providerOrder, firstTokenTimeout, retry, compatEvents, emit, max,
                finishedRetention, finishedTasksKept, clock);
    }

    public GatewayOptions withFinishedTasks(Duration retention, int tasksKept) {
        return new GatewayOptions(providerOrder, firstTokenTimeout, retry, compatEvents, emit, maxLivePerUser,
                retention, tasksKept, clock);
    }

    public GatewayOptions withClock(Clock newClock) {
        return new GatewayOptions(providerOrder, firstTokenTimeout, retry, compatEvents, emit, maxLivePerUser,
                finishedRetention, finishedTasksKept, newClock);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}
