package dev.aiprogress.realtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the realtime side can be tuned by. Read from configuration by {@link RealtimeKeys};
 * the rest of the realtime side never reads configuration.
 *
 * @param pingInterval     how often the server sends an Engine.IO ping ({@code 2})
 * @param pingTimeout      how long a pong ({@code 3}) may take before the socket is closed
 * @param maxPayload       the largest client frame accepted, in bytes (also announced in the open packet)
 * @param connectTimeout   how long a new Socket.IO socket may wait before its first CONNECT
 * @param outboxMaxEvents  queued events per socket before it counts as a slow consumer and is closed
 * @param outboxMaxBytes   queued UTF-8 bytes per socket, same consequence; terminal events ({@code completion},
 *                         {@code error}, {@code complete}) are not weighed: a completion repeats the whole answer
 * @param replayMaxAge     how long an event stays replayable (late sockets, connection state recovery)
 * @param replayMaxEvents  events kept per user for replay
 * @param replayMaxBytes   bytes kept per user for replay (terminal events not weighed, as for the outbox)
 * @param allowedOrigins   exact {@code Origin} values accepted on the upgrade; empty = same host as {@code Host}.
 *                         A request without {@code Origin} is always accepted (non-browser clients).
 * @param maxSocketsPerUser live sockets one user may hold (both endpoints together); the newest over it is refused
 * @param perMessageDeflate whether a client may negotiate the WebSocket permessage-deflate extension; off by
 *                          default: the frames are small deltas that compress poorly one by one, and
 *                          compressing each cost about a quarter of the server's CPU per chunk plus a
 *                          compressor (≈ 300 KB of native memory) per socket
 */
public record RealtimeOptions(
        Duration pingInterval,
        Duration pingTimeout,
        int maxPayload,
        Duration connectTimeout,
        int outboxMaxEvents,
        long outboxMaxBytes,
        Duration replayMaxAge,
        int replayMaxEvents,
        long replayMaxBytes,
        List<String> allowedOrigins,
        int maxSocketsPerUser,
        boolean perMessageDeflate) {

    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_PAYLOAD = 1_000_000;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(45);
    public static final int DEFAULT_OUTBOX_MAX_EVENTS = 1_000;
    public static final long DEFAULT_OUTBOX_MAX_BYTES = 1024L * 1024;
    public static final Duration DEFAULT_REPLAY_MAX_AGE = Duration.ofSeconds(60);
    public static final int DEFAULT_REPLAY_MAX_EVENTS = 500;
    public static final long DEFAULT_REPLAY_MAX_BYTES = 1024L * 1024;
    public static final int DEFAULT_MAX_SOCKETS_PER_USER = 32;

    public RealtimeOptions {
        requirePositive(pingInterval, "pingInterval");
        requirePositive(pingTimeout, "pingTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(replayMaxAge, "replayMaxAge");
        if (maxPayload < 1 || maxSocketsPerUser < 1 || outboxMaxEvents < 1 || outboxMaxBytes < 1 || replayMaxEvents < 0 || replayMaxBytes < 0) {
            throw new IllegalArgumentException("realtime sizes must be positive (replay sizes may be 0 to turn replay off)");
        }
        if (replayMaxEvents > outboxMaxEvents || replayMaxBytes > outboxMaxBytes) {
            // a replay is queued at once: a window larger than the outbox would close every new socket
            throw new IllegalArgumentException("the replay window (" + replayMaxEvents + " events, " + replayMaxBytes
                    + " bytes) must fit in the outbox (" + outboxMaxEvents + " events, " + outboxMaxBytes + " bytes)");
        }
        allowedOrigins = List.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
    }

    /** The defaults: Socket.IO's own heartbeat figures, 1 MB payloads, 45 s to CONNECT, same-host origins. */
    public static RealtimeOptions defaults() {
        return new RealtimeOptions(DEFAULT_PING_INTERVAL, DEFAULT_PING_TIMEOUT, DEFAULT_MAX_PAYLOAD,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_OUTBOX_MAX_EVENTS, DEFAULT_OUTBOX_MAX_BYTES,
                DEFAULT_REPLAY_MAX_AGE, DEFAULT_REPLAY_MAX_EVENTS, DEFAULT_REPLAY_MAX_BYTES, List.of(),
                DEFAULT_MAX_SOCKETS_PER_USER, false);
    }

    public RealtimeOptions withHeartbeat(Duration interval, Duration timeout) {
        return new RealtimeOptions(interval, timeout, maxPayload, connectTimeout, outboxMaxEvents, outboxMaxBytes,
                replayMaxAge, replayMaxEvents, replayMaxBytes, allowedOrigins, maxSocketsPerUser, perMessageDeflate);
    }

    public RealtimeOptions withConnectTimeout(Duration timeout) {
        return new RealtimeOptions(pingInterval, pingTimeout, maxPayload, timeout, outboxMaxEvents, outboxMaxBytes,
                replayMaxAge, replayMaxEvents, replayMaxBytes, allowedOrigins, maxSocketsPerUser, perMessageDeflate);
    }

    public RealtimeOptions withOutbox(int maxEvents, long maxBytes) {
        return new RealtimeOptions(pingInterval, pingTimeout, maxPayload, connectTimeout, maxEvents, maxBytes,
                replayMaxAge, replayMaxEvents, replayMaxBytes, allowedOrigins, maxSocketsPerUser, perMessageDeflate);
    }

    public RealtimeOptions withReplay(Duration maxAge, int maxEvents, long maxBytes) {
        return new RealtimeOptions(pingInterval, pingTimeout, maxPayload, connectTimeout, outboxMaxEvents,
                outboxMaxBytes, maxAge, maxEvents, maxBytes, allowedOrigins, maxSocketsPerUser, perMessageDeflate);
    }

    public RealtimeOptions withAllowedOrigins(List<String> origins) {
        return new RealtimeOptions(pingInterval, pingTimeout, maxPayload, connectTimeout, outboxMaxEvents,
                outboxMaxBytes, replayMaxAge, replayMaxEvents, replayMaxBytes, origins, maxSocketsPerUser, perMessageDeflate);
    }

    public RealtimeOptions withMaxSocketsPerUser(int max) {
        return new RealtimeOptions(pingInterval, pingTimeout, maxPayload, connectTimeout, outboxMaxEvents,
                outboxMaxBytes, replayMaxAge, replayMaxEvents, replayMaxBytes, allowedOrigins, max, perMessageDeflate);
    }

    public RealtimeOptions withPerMessageDeflate(boolean allowed) {
        return new RealtimeOptions(pingInterval, pingTimeout, maxPayload, connectTimeout, outboxMaxEvents,
                outboxMaxBytes, replayMaxAge, replayMaxEvents, replayMaxBytes, allowedOrigins, maxSocketsPerUser, allowed);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
