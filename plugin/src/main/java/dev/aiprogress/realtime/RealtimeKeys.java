package dev.aiprogress.realtime;

import dev.aiprogress.config.ConfigValues;
import dev.aiprogress.config.Key;

import java.time.Duration;
import java.util.List;

/**
 * The configuration keys of the realtime side, each declared once with its default (taken from
 * {@link RealtimeOptions}'s own defaults, so configuration and {@link RealtimeOptions#defaults}
 * agree), and how they become a {@link RealtimeOptions}.
 */
public final class RealtimeKeys {

    public static final Key<Duration> PING_INTERVAL = Key.positiveDuration("ai-progress.realtime.ping-interval",
            RealtimeOptions.DEFAULT_PING_INTERVAL, "Engine.IO heartbeat interval, both transports");
    public static final Key<Duration> PING_TIMEOUT = Key.positiveDuration("ai-progress.realtime.ping-timeout",
            RealtimeOptions.DEFAULT_PING_TIMEOUT, "no pong by then: the socket is closed; also bounds an unfinished upgrade");
    public static final Key<Integer> OUTBOX_MAX_EVENTS = Key.integer("ai-progress.realtime.outbox.max-events",
            RealtimeOptions.DEFAULT_OUTBOX_MAX_EVENTS, 1, 1_000_000, "events queued per socket before it is closed as slow");
    public static final Key<Integer> OUTBOX_MAX_BYTES = Key.integer("ai-progress.realtime.outbox.max-bytes",
            (int) RealtimeOptions.DEFAULT_OUTBOX_MAX_BYTES, 1024, Integer.MAX_VALUE,
            "bytes queued per socket before it is closed as slow");
    public static final Key<Duration> REPLAY_WINDOW = Key.positiveDuration("ai-progress.realtime.replay-window",
            RealtimeOptions.DEFAULT_REPLAY_MAX_AGE, "how long a task stays replayable after its last event");
    public static final Key<Integer> MAX_SOCKETS_PER_USER = Key.integer("ai-progress.realtime.max-sockets-per-user",
            RealtimeOptions.DEFAULT_MAX_SOCKETS_PER_USER, 1, 100_000, "live sockets per user, both endpoints");
    public static final Key<Boolean> PER_MESSAGE_DEFLATE = Key.flag("ai-progress.realtime.per-message-deflate", false,
            "let a client negotiate WebSocket permessage-deflate");

    public static final List<Key<?>> ALL = List.of(PING_INTERVAL, PING_TIMEOUT, OUTBOX_MAX_EVENTS, OUTBOX_MAX_BYTES,
            REPLAY_WINDOW, MAX_SOCKETS_PER_USER, PER_MESSAGE_DEFLATE);

    private RealtimeKeys() {
    }

    /**
     * The realtime options read from {@code values}, with the origins the auth side allows. The
     * per-user replay window (500 events, 1 MiB) shrinks to fit a smaller outbox: a replay is
     * queued at once, and a window larger than the outbox would close every new socket.
     */
    public static RealtimeOptions read(ConfigValues values, List<String> allowedOrigins) {
        int outboxEvents = values.get(OUTBOX_MAX_EVENTS);
        long outboxBytes = values.get(OUTBOX_MAX_BYTES);
        // the replay window must fit in the outbox at every step: shrink it first, then set the outbox
        return RealtimeOptions.defaults()
                .withHeartbeat(values.get(PING_INTERVAL), values.get(PING_TIMEOUT))
                .withReplay(values.get(REPLAY_WINDOW),
                        Math.min(RealtimeOptions.DEFAULT_REPLAY_MAX_EVENTS, outboxEvents),
                        Math.min(RealtimeOptions.DEFAULT_REPLAY_MAX_BYTES, outboxBytes))
                .withOutbox(outboxEvents, outboxBytes)
                .withAllowedOrigins(allowedOrigins)
                .withMaxSocketsPerUser(values.get(MAX_SOCKETS_PER_USER))
                .withPerMessageDeflate(values.get(PER_MESSAGE_DEFLATE));
    }
}
