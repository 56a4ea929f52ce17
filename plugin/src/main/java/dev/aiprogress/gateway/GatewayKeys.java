package dev.aiprogress.gateway;

import dev.aiprogress.config.ConfigValues;
import dev.aiprogress.config.Durations;
import dev.aiprogress.config.Key;
import dev.aiprogress.stream.Coalescer;

import java.time.Duration;
import java.util.List;

/**
 * The configuration keys of the gateway, each declared once with its default (taken from
 * {@link GatewayOptions}'s own defaults, so configuration and {@link GatewayOptions#defaults} agree),
 * and how they become a {@link GatewayOptions}.
 */
public final class GatewayKeys {

    public static final Key<Duration> FIRST_TOKEN_TIMEOUT = Key.positiveDuration("ai-progress.gateway.first-token-timeout",
            GatewayOptions.DEFAULT_FIRST_TOKEN_TIMEOUT,
            "no token by then: that attempt is cancelled and the next provider tried");
    public static final Key<Integer> RETRIES = Key.integer("ai-progress.gateway.retries",
            GatewayOptions.Retry.DEFAULT.maxAttempts() - 1, 0, 10,
            "retries per provider before the first token (connect errors, 408, 429, 5xx)");
    public static final Key<Duration> BACKOFF = Key.duration("ai-progress.gateway.backoff",
            GatewayOptions.Retry.DEFAULT.baseBackoff(),
            "first backoff between retries, doubling, never shorter than Retry-After")
            .requiring(d -> d.compareTo(GatewayOptions.Retry.DEFAULT.maxBackoff()) <= 0,
                    d -> "must be at most " + Durations.format(GatewayOptions.Retry.DEFAULT.maxBackoff())
                            + " (the longest backoff)");
    public static final Key<Integer> EMIT_MIN_CHARS = Key.integer("ai-progress.emit.min-chars",
            Coalescer.Options.ADAPTIVE.minChars(), 0, 1_000_000, "batch deltas until this many characters (0/0 = adaptive)");
    public static final Key<Integer> EMIT_INTERVAL_MS = Key.integer("ai-progress.emit.interval-ms",
            (int) Coalescer.Options.ADAPTIVE.intervalMillis(), 0, 60_000, "or until this many milliseconds passed");
    public static final Key<Boolean> FRAPPE_EVENTS = Key.flag("ai-progress.compat.frappe-events", true,
            "emit the thinking / complete compat events for the Oropendola client");
    public static final Key<Integer> MAX_CONCURRENT_PER_USER = Key.integer("ai-progress.limits.max-concurrent-per-user",
            GatewayOptions.DEFAULT_MAX_LIVE_PER_USER, 1, 10_000, "running generations per user (429 beyond)");

    public static final List<Key<?>> ALL = List.of(FIRST_TOKEN_TIMEOUT, RETRIES, BACKOFF, EMIT_MIN_CHARS,
            EMIT_INTERVAL_MS, FRAPPE_EVENTS, MAX_CONCURRENT_PER_USER);

    private GatewayKeys() {
    }

    /** The gateway's options for a provider order, read from {@code values}. */
    public static GatewayOptions read(ConfigValues values, List<String> providerOrder) {
        GatewayOptions.Retry retry = GatewayOptions.Retry.DEFAULT
                .withAttempts(values.get(RETRIES) + 1, values.get(BACKOFF));
        return GatewayOptions.defaults(providerOrder)
                .withFirstTokenTimeout(values.get(FIRST_TOKEN_TIMEOUT))
                .withRetry(retry)
                .withCompatEvents(values.get(FRAPPE_EVENTS))
                .withEmit(new Coalescer.Options(values.get(EMIT_MIN_CHARS), values.get(EMIT_INTERVAL_MS)))
                .withMaxLivePerUser(values.get(MAX_CONCURRENT_PER_USER));
    }
}
