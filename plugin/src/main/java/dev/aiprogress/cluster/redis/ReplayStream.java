package dev.aiprogress.cluster.redis;

import dev.aiprogress.cluster.Envelope;
import dev.aiprogress.event.ProgressEvent;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.json.spi.JsonProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static dev.aiprogress.cluster.redis.RedisBus.READ_COOL_DOWN;
import static dev.aiprogress.cluster.redis.RedisBus.READ_TIMEOUT;
import static dev.aiprogress.cluster.redis.RedisBus.rootMessage;

/**
 * The shared replay window of {@link RedisBus}: each user's recent events (their envelopes) kept in the
 * Redis stream {@code aip:r:<hash>}, trimmed to about {@code maxEvents} and expiring after
 * {@code window}; read back for a socket that attaches ({@link #recent}) and to fill a subscription
 * gap ({@link #fill}). Logs under {@link RedisBus}'s logger.
 */
final class ReplayStream {

    static final String KEY_PREFIX = "aip:r:";

    private static final System.Logger LOG = System.getLogger(RedisBus.class.getName());

    private final StatefulRedisConnection<String, String> pub;
    private final JsonProvider json;
    private final Duration window;
    private final int maxEvents;
    /** {@link System#nanoTime()} until which {@link #recent} does not ask Redis (after a failed read); 0 = ask. */
    private final AtomicLong readsPausedUntil = new AtomicLong();

    ReplayStream(StatefulRedisConnection<String, String> pub, JsonProvider json, Duration window, int maxEvents) {
        this.pub = pub;
        this.json = json;
        this.window = window;
        this.maxEvents = maxEvents;
    }

    /** The stream of a user channel {@code aip:u:<hash>}: {@code aip:r:<hash>}. */
    static String key(String userChannel) {
        return KEY_PREFIX + userChannel.substring(RedisBus.USER_CHANNEL_PREFIX.length());
    }

    /** Adds an event's envelope to the user's stream; refused while Redis is away (the publish counts it). */
    void append(String userId, String envelope) {
        String key = RedisBus.replayKey(userId);
        try {
            pub.async().xadd(key, XAddArgs.Builder.maxlen(maxEvents).approximateTrimming(),
                    Map.of("m", envelope));
            pub.async().pexpire(key, window.toMillis());
        } catch (RedisException e) {
            // counted with the publish
        }
    }

    /** The user's events of the window, waiting at most {@link RedisBus#READ_TIMEOUT}; none after a failed read. */
    List<ProgressEvent> recent(String userId) {
        long paused = readsPausedUntil.get();
        if (paused != 0 && System.nanoTime() - paused < 0) {
            // a read failed moments ago: the socket starts with this node's window only
            return List.of();
        }
        long since = System.currentTimeMillis() - window.toMillis();
        try {
            List<StreamMessage<String, String>> entries = pub.async()
                    .xrange(RedisBus.replayKey(userId), Range.create(since + "-0", "+"))
                    .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<ProgressEvent> events = new ArrayList<>(entries.size());
            for (StreamMessage<String, String> entry : entries) {
                String m = entry.getBody().get("m");
                Optional<Envelope> decoded = m == null ? Optional.empty() : Envelope.decode(m, json);
                if (decoded.isPresent() && decoded.get() instanceof Envelope.Event e && e.userId().equals(userId)) {
                    events.add(e.event());
                }
            }
            return events;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (Exception e) {
            readsPausedUntil.set(System.nanoTime() + READ_COOL_DOWN.toNanos());
            String why = e instanceof TimeoutException
                    ? "no answer within " + READ_TIMEOUT.toMillis() + " ms" : rootMessage(e);
            LOG.log(System.Logger.Level.WARNING, "AIP-210 could not read the shared replay window from Redis ("
                    + why + "); sockets attach with this node's window only for the next "
                    + READ_COOL_DOWN.toSeconds() + " s");
            return List.of();
        }
    }

    /** Reads a held channel's stream since {@code since} (asynchronously) and hands it to {@code gaps}. */
    void fill(SubscriptionGaps gaps, String channel, long since) {
        String key = key(channel);
        try {
            pub.async().xrange(key, Range.create(since + "-0", "+"),
                    Limit.from(Math.max(1, maxEvents))).whenComplete((entries, failure) -> {
                List<String> messages = new ArrayList<>();
                if (failure == null) {
                    for (StreamMessage<String, String> entry : entries) {
                        String m = entry.getBody().get("m");
                        if (m != null) {
                            messages.add(m);
                        }
                    }
                } else if (!pub.isOpen()) {
                    return; // still held: refilled once this connection is back
                } else {
                    LOG.log(System.Logger.Level.WARNING, "AIP-211 could not read the shared stream to fill a "
                            + "subscription gap: " + rootMessage(failure));
                }
                gaps.fill(channel, messages);
            });
        } catch (RedisException e) {
            // refused while the connection is away: still held, refilled once it is back
            LOG.log(System.Logger.Level.DEBUG, "AIP-207 refill deferred until Redis is back: " + rootMessage(e));
        }
    }
}
