package dev.aiprogress.cluster.redis;

import dev.aiprogress.cluster.ClusterBus;
import dev.aiprogress.cluster.Envelope;
import dev.aiprogress.event.ProgressEvent;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import jakarta.json.spi.JsonProvider;

import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cluster bus over Redis pub/sub (Lettuce). Each user has a channel {@code aip:u:<hash>} (the
 * first 128 bits of SHA-256 of the user id, base64url: user ids never appear in Redis); a node
 * SUBSCRIBEs to it while it holds a socket of that user ({@link #interest}) and UNSUBSCRIBEs after
 * the last one closes. {@link #publish} delivers to this node's sockets directly, then PUBLISHes an
 * {@link Envelope} to the user's channel; a node drops envelopes carrying its own node id (its
 * echo). Cancel requests go to the one channel {@value #CANCEL_CHANNEL} that every node
 * subscribes to; the node running the task cancels it after its own owner check.
 *
 * <p>Failure: the connections reject commands while Redis is away (no unbounded buffering), so a
 * publish then only reaches local sockets; the events not sent are counted ({@link #droppedCount})
 * and the gap is logged once when Redis goes ({@code AIP-202}) and once when it is back
 * ({@code AIP-203}). Lettuce reconnects by itself; on reconnect this bus subscribes again to every
 * channel it needs. {@link #close()} shuts the client and its threads ({@code lettuce-*}) down.
 *
 * <p>Subscription gaps: with the shared replay window on, each event is added to the user's stream
 * before it is published, and a channel's messages are held from before its SUBSCRIBE (a user's
 * first socket here) or from the moment the subscriber connection drops (a Redis restart) until the
 * subscription is confirmed; then the stream since just before the gap is delivered where it is
 * newer than what this node has, and the held messages after it ({@link SubscriptionGaps}). So a
 * task that another node starts while this node is (re)subscribing reaches its sockets whole.
 */
public final class RedisBus implements ClusterBus {

    public static final String CANCEL_CHANNEL = "aip:cancel";
    static final String USER_CHANNEL_PREFIX = "aip:u:";
    /**
     * How long {@link #recentEvents} waits for Redis ({@link ReplayStream}). It runs on the WebSocket container's thread
     * while a socket attaches, so it is kept short: a local Redis answers in about a millisecond.
     */
    static final Duration READ_TIMEOUT = Duration.ofMillis(200);
    /** After a read that timed out or failed, reads are skipped this long: a hung Redis costs one wait, not one per socket. */
    static final Duration READ_COOL_DOWN = Duration.ofSeconds(5);
    /** How far before a subscription gap its refill reads the stream (node and Redis clocks may differ). */
    static final long GAP_MARGIN_MILLIS = 10_000;

    private static final System.Logger LOG = System.getLogger(RedisBus.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String nodeId;
    private final Delivery local;
    private final CancelHandler cancels;
    private final JsonProvider json;
    private final int replayMaxEvents;
    /** The shared replay window; null without it. */
    private final ReplayStream replay;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> pub;
    private final StatefulRedisPubSubConnection<String, String> sub;
    /** Channels this node needs, with the number of users on each (hash collisions share one). */
    private final ConcurrentHashMap<String, Integer> channels = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder published = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** Events not sent during the current outage, for the log line when Redis is back. */
    private final LongAdder gap = new LongAdder();
    /** Null without the shared replay window (nothing to refill a gap from). */
    private final SubscriptionGaps gaps;

    private RedisBus(String nodeId, Delivery local, CancelHandler cancels, JsonProvider json, Duration replayWindow,
                     int replayMaxEvents, ClientResources resources, RedisClient client, StatefulRedisConnection<String, String> pub,
                     StatefulRedisPubSubConnection<String, String> sub) {
        this.nodeId = nodeId;
        this.local = local;
        this.cancels = cancels;
        this.json = json;
        this.replayMaxEvents = replayMaxEvents;
        this.replay = replayMaxEvents > 0 ? new ReplayStream(pub, json, replayWindow, replayMaxEvents) : null;
        this.resources = resources;
        this.client = client;
        this.pub = pub;
        this.sub = sub;
        this.gaps = replayMaxEvents > 0 ? new SubscriptionGaps(this::handle) : null;
    }

    /**
     * Connects to Redis and subscribes to the cancel channel. Fails with an
     * {@link IllegalStateException} naming the host when Redis cannot be reached (the message never
     * holds the password); nothing is left running then.
     */
    public static RedisBus connect(URI uri, Delivery local, CancelHandler cancels) {
        return connect(uri, Duration.ofSeconds(10), 500, local, cancels);
    }

    /**
     * Same, keeping each user's events of the last {@code replayWindow} (at most about
     * {@code replayMaxEvents}) in the stream {@code aip:r:<hash>} for sockets that move between nodes;
     * {@code replayMaxEvents = 0} keeps none.
     */
    public static RedisBus connect(URI uri, Duration replayWindow, int replayMaxEvents, Delivery local,
                                   CancelHandler cancels) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(replayWindow, "replayWindow");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(cancels, "cancels");
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2)
                .computationThreadPoolSize(2).build();
        RedisClient client = RedisClient.create(resources, RedisURI.create(uri));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(100_000)
                .build());
        StatefulRedisConnection<String, String> pub = null;
        StatefulRedisPubSubConnection<String, String> sub = null;
        try {
            pub = client.connect();
            sub = client.connectPubSub();
            RedisBus bus = new RedisBus(newNodeId(), local, cancels, JsonProvider.provider(), replayWindow,
                    replayMaxEvents, resources, client, pub, sub);
            bus.start();
            LOG.log(System.Logger.Level.INFO, "AIP-200 cluster bus connected to Redis at " + uri.getHost() + ":"
                    + (uri.getPort() < 0 ? 6379 : uri.getPort()) + " as node " + bus.nodeId);
            return bus;
        } catch (RedisException e) {
            closeQuietly(sub);
            closeQuietly(pub);
            shutdown(client, resources);
            throw new IllegalStateException("cannot connect to Redis at " + uri.getHost() + ":"
                    + (uri.getPort() < 0 ? 6379 : uri.getPort()) + ": " + rootMessage(e), e);
        }
    }

    private void start() {
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                SubscriptionGaps.Route route = gaps == null ? SubscriptionGaps.Route.LIVE : gaps.offer(channel, message);
                if (route != SubscriptionGaps.Route.HELD) {
                    handle(message, route == SubscriptionGaps.Route.IF_NEWER);
                }
            }
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == sub && gaps != null && !closed.get()) {
                    // whatever is published until this node is subscribed again comes from the stream
                    long since = System.currentTimeMillis() - GAP_MARGIN_MILLIS;
                    for (String channel : channels.keySet()) {
                        gaps.hold(channel, since);
                    }
                }
                if (connection == pub && !closed.get() && down.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, "AIP-202 lost the connection to Redis: events reach only "
                            + "this node's sockets until it is back (reconnecting)");
                }
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (connection == sub) {
                    resubscribe();
                } else if (connection == pub) {
                    if (gaps != null) {
                        // refills whose stream read failed while this connection was away
                        gaps.readyToFill().forEach(RedisBus.this::fillGap);
                    }
                    if (down.compareAndSet(true, false)) {
                        LOG.log(System.Logger.Level.WARNING, "AIP-203 Redis is back: " + gap.sumThenReset()
                                + " events were not sent to other nodes during the outage; cross-node delivery resumes");
                    }
                }
            }
        });
        sub.sync().subscribe(CANCEL_CHANNEL);
    }

    /** This node's id in every envelope it sends. */
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void publish(String userId, ProgressEvent event) {
        local.deliver(userId, event);
        if (closed.get()) {
            return;
        }
        String envelope = Envelope.encode(new Envelope.Event(nodeId, userId, event));
        if (replayMaxEvents > 0) {
            // the shared replay window: only the node that runs the task writes, so each event is there once;
            // written before the PUBLISH (same connection, in order), so a node that got the message finds it there
            replay.append(userId, envelope);
        }
        send(userChannel(userId), envelope);
        published.increment();
    }

    @Override
    public List<ProgressEvent> recentEvents(String userId) {
        if (replayMaxEvents == 0 || closed.get() || !isConnected()) {
            return List.of();
        }
        return replay.recent(userId);
    }

    /** {@code aip:r:} + the same hash as the user's channel. */
    public static String replayKey(String userId) {
        return ReplayStream.key(userChannel(userId));
    }

    @Override
    public void interest(String userId, boolean held) {
        String channel = userChannel(userId);
        try {
            if (held) {
                if (channels.merge(channel, 1, Integer::sum) == 1 && !closed.get()) {
                    if (gaps != null) {
                        // the socket's replay was read from the stream just before: refill from a little earlier
                        gaps.hold(channel, System.currentTimeMillis() - GAP_MARGIN_MILLIS);
                    }
                    sub.async().subscribe(channel).whenComplete((ok, failure) -> {
                        if (failure == null) {
                            if (gaps != null) {
                                gaps.subscribed(channel);
                                fillGap(channel);
                            }
                        } else {
                            logSubscribeFailure(failure); // still held: the reconnect refills it
                        }
                    });
                }
            } else {
                Integer left = channels.computeIfPresent(channel, (c, n) -> n > 1 ? n - 1 : null);
                if (left == null && !closed.get()) {
                    if (gaps != null) {
                        gaps.drop(channel);
                    }
                    sub.async().unsubscribe(channel).whenComplete((ok, failure) -> logSubscribeFailure(failure));
                }
            }
        } catch (RedisException e) {
            // refused while Redis is away: the reconnect subscribes to exactly the channels still wanted
            logSubscribeFailure(e);
        }
    }

    @Override
    public void requestCancel(String userId, String taskId) {
        if (!closed.get()) {
            send(CANCEL_CHANNEL, Envelope.encode(new Envelope.Cancel(nodeId, userId, taskId)));
        }
    }

    /** Events handed to Redis for other nodes. */
    public long publishedCount() {
        return published.sum();
    }

    /** Envelopes from other nodes handed to local sockets (events and cancels). */
    public long receivedCount() {
        return received.sum();
    }

    /** Events or cancels that could not be sent to other nodes (Redis unreachable). */
    public long droppedCount() {
        return dropped.sum();
    }

    @Override
    public String state() {
        return isConnected() ? "up" : "down";
    }

    /** True while both connections to Redis are up. */
    public boolean isConnected() {
        return pub.isOpen() && sub.isOpen();
    }

    /** Channels this node is subscribed to for users (not counting the cancel channel). */
    public int userChannelCount() {
        return channels.size();
    }

    /** {@code aip:u:} + base64url of the first 16 bytes of SHA-256(user id): no user id in Redis. */
    public static String userChannel(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return USER_CHANNEL_PREFIX + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(sub);
        closeQuietly(pub);
        shutdown(client, resources);
        LOG.log(System.Logger.Level.INFO, "AIP-204 cluster bus closed");
    }

    private void send(String channel, String message) {
        try {
            pub.async().publish(channel, message).whenComplete((receivers, failure) -> {
                if (failure != null) {
                    countDrop();
                }
            });
        } catch (RedisException e) {
            countDrop();
        }
    }

    private void countDrop() {
        dropped.increment();
        gap.increment();
        if (!closed.get() && down.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "AIP-202 Redis refused an event: events reach only this node's "
                    + "sockets until it is back (reconnecting)");
        }
    }

    /** Delivers a held channel's gap from the stream (read asynchronously), then its held messages. */
    private void fillGap(String channel) {
        long since = gaps.since(channel);
        if (since < 0 || closed.get()) {
            return;
        }
        replay.fill(gaps, channel, since);
    }

    private void handle(String message, boolean ifNewer) {
        Optional<Envelope> decoded = Envelope.decode(message, json);
        if (decoded.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "AIP-205 dropped a malformed cluster message");
            return;
        }
        Envelope envelope = decoded.get();
        if (envelope.nodeId().equals(nodeId)) {
            return; // our own echo: delivered locally already
        }
        try {
            if (envelope instanceof Envelope.Event e) {
                if (!ifNewer) {
                    received.increment();
                    local.deliver(e.userId(), e.event());
                } else if (local.deliverIfNewer(e.userId(), e.event())) {
                    received.increment(); // else this node had it already
                }
            } else if (envelope instanceof Envelope.Cancel c) {
                received.increment();
                cancels.cancel(c.userId(), c.taskId());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-206 handling a cluster message failed", e);
        }
    }

    /**
     * After a reconnect: every channel again, including those whose SUBSCRIBE was refused while Redis
     * was away; once confirmed, each held channel is refilled from the stream.
     */
    private void resubscribe() {
        String[] wanted = channels.keySet().toArray(new String[0]);
        String[] all = java.util.Arrays.copyOf(wanted, wanted.length + 1);
        all[wanted.length] = CANCEL_CHANNEL;
        sub.async().subscribe(all).whenComplete((ok, failure) -> {
            logSubscribeFailure(failure);
            if (failure == null && gaps != null) {
                for (String channel : gaps.held()) {
                    if (channels.containsKey(channel)) {
                        gaps.subscribed(channel);
                        fillGap(channel);
                    } else {
                        gaps.drop(channel);
                    }
                }
            }
        });
    }

    private void logSubscribeFailure(Throwable failure) {
        if (failure != null && !closed.get()) {
            LOG.log(System.Logger.Level.DEBUG, "AIP-207 (un)subscribe deferred until Redis is back: "
                    + rootMessage(failure));
        }
    }

    private static void shutdown(RedisClient client, ClientResources resources) {
        try {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-208 closing the Redis client failed", e);
        }
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-208 stopping the Redis client threads failed", e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a Redis connection failed", e);
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String newNodeId() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
