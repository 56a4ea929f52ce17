package dev.aiprogress.realtime;

import dev.aiprogress.cluster.InterestListener;
import dev.aiprogress.event.ProgressEvent;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Routes each user's events to every live socket of that user (room {@code user:<id>}), keeps the
 * per-user {@link ReplayLog}, and hands out recovery ids ({@code pid}). There is no global lock: a
 * {@link ConcurrentHashMap} of per-user channels, each guarded by its own monitor, so publishing
 * for one user never waits for another. An event is serialised once per publish, and its text
 * frame built once per protocol ({@link Outbox.SharedFrame}), whatever the number of sockets.
 */
public final class Hub implements EventPublisher {

    private static final System.Logger LOG = System.getLogger(Hub.class.getName());

    private final Function<ProgressEvent, String> toJson;
    private final RealtimeOptions options;
    private final LongSupplier nanoClock;
    /** Told when this node gains its first / loses its last socket of a user (the cluster bus subscribes). */
    private final InterestListener interest;
    /** A user's recent events published on other nodes (the cluster's shared window); empty on one node. */
    private final Function<String, List<ProgressEvent>> elsewhere;
    private final RealtimeCounters counters = new RealtimeCounters();
    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    /** Recovery ids of sockets, live or recently gone, to their user; swept by {@link #sweep()}. */
    private final RecoveryIds pids = new RecoveryIds();
    /**
     * On many nodes: this hub's tag in every offset it hands out, so an offset says which node's
     * numbering it uses ({@link #recover(String, String, String, Outbox)}); null on one node.
     */
    private final String nodeTag;

    /**
     * @param nanoClock        the clock of the replay window and of recovery ids' expiry
     * @param interest         called under the user's lock, in order, when the first socket of a user
     *                         joins and the last leaves
     * @param elsewhere        a user's recent events from every node, oldest first; read when this node
     *                         gets its first socket of a user, so a socket that lands here sees the same
     *                         window as on the node that runs the task
     * @param crossNodeOffsets true on many nodes: each Socket.IO offset then also carries this node's
     *                         tag and the user's tasks as seen at that event ({@link RecoveryOffset}),
     *                         so another node can recover the socket from the cluster's shared window
     */
    public Hub(Function<ProgressEvent, String> toJson, RealtimeOptions options, LongSupplier nanoClock,
               InterestListener interest, Function<String, List<ProgressEvent>> elsewhere, boolean crossNodeOffsets) {
        this.nodeTag = crossNodeOffsets ? RecoveryOffset.newNodeTag() : null;
        this.elsewhere = Objects.requireNonNull(elsewhere, "elsewhere");
        this.toJson = Objects.requireNonNull(toJson, "toJson");
        this.options = Objects.requireNonNull(options, "options");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.interest = Objects.requireNonNull(interest, "interest");
    }

    /** A hub on one node: the system clock, no cluster bus to tell, nothing published elsewhere. */
    public static Hub singleNode(Function<ProgressEvent, String> toJson, RealtimeOptions options) {
        return new Hub(toJson, options, System::nanoTime, InterestListener.NONE, userId -> List.of(), false);
    }

    /** A socket's membership in its user's room; {@link #detach()} it when the socket closes. */
    public final class Attachment {
        private final String userId;
        private final String pid;
        private final Outbox outbox;
        private final java.util.concurrent.atomic.AtomicBoolean detached = new java.util.concurrent.atomic.AtomicBoolean();
        /**
         * Tasks already finished when this socket joined: their late events (a {@code complete}
         * right behind the {@code completion}) are not for it. Guarded by the user's channel.
         */
        private Set<String> finishedBeforeJoin = Set.of();

        private Attachment(String userId, String pid, Outbox outbox) {
            this.userId = userId;
            this.pid = pid;
            this.outbox = outbox;
        }

        public String userId() {
            return userId;
        }

        /** The Socket.IO private session id for connection state recovery. */
        public String pid() {
            return pid;
        }

        public Outbox outbox() {
            return outbox;
        }

        /** False for a late event of a task that finished before this socket joined; call under the channel's lock. */
        private boolean wants(ProgressEvent event) {
            if (finishedBeforeJoin.isEmpty() || !finishedBeforeJoin.contains(event.taskId())) {
                return true;
            }
            if (event.seq() == 1) {
                // a new task reusing the id of a finished one
                Set<String> rest = new java.util.HashSet<>(finishedBeforeJoin);
                rest.remove(event.taskId());
                finishedBeforeJoin = Set.copyOf(rest);
                return true;
            }
            return false;
        }

        /** Leaves the user's room; idempotent. */
        public void detach() {
            Hub.this.detach(this);
        }
    }

    /** A new outbox with this hub's bounds, serialiser and counters. */
    public Outbox newOutbox(FrameSink sink, Outbox.Framing framing) {
        return new Outbox(sink, framing, toJson, counters, options.outboxMaxEvents(), options.outboxMaxBytes());
    }

    /** Serialises an event the way this hub does (for replies outside {@link #publish}). */
    public String toJson(ProgressEvent event) {
        return toJson.apply(event);
    }

    @Override
    public void publish(String userId, ProgressEvent event) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(event, "event");
        counters.published();
        String json = toJson.apply(event);
        int weight = Outbox.countedBytes(event, json);
        while (true) {
            Channel channel = channels.get(userId);
            if (channel == null) {
                // computeIfAbsent locks the map's bin even when the channel exists (1.6 % of server CPU per chunk)
                channel = channels.computeIfAbsent(userId, id -> newChannel());
            }
            synchronized (channel) {
                if (channel.retired) {
                    continue;
                }
                long offset = channel.log.append(event, nanoClock.getAsLong());
                // one frame per publish, built once per protocol for all the user's sockets
                Outbox.SharedFrame frame = new Outbox.SharedFrame(json, offset, weight,
                        nodeTag == null ? null : channel.log.offsetSuffix(nodeTag, offset));
                // delivered under the user's lock so every socket sees the same order as the offsets
                for (Attachment a : channel.members) {
                    if (a.wants(event)) {
                        a.outbox.offer(event, frame);
                    }
                }
            }
            return;
        }
    }

    /**
     * Adds a new socket to its user's room and queues the replay window's events for it
     * ({@link ReplayLog#forNewSocket}), atomically with respect to {@link #publish}.
     */
    public Attachment attach(String userId, Outbox outbox) {
        return tryAttach(userId, outbox).orElseThrow(() -> new IllegalStateException("too many sockets for one user"));
    }

    /**
     * {@link #attach}, or empty when the user already holds {@link RealtimeOptions#maxSocketsPerUser()}
     * live sockets: the newest socket is the one refused.
     */
    public Optional<Attachment> tryAttach(String userId, Outbox outbox) {
        Attachment a = new Attachment(userId, RecoveryIds.newPid(), outbox);
        // no socket of this user here: events of tasks on other nodes did not come to this node
        List<ProgressEvent> seed = socketCount(userId) == 0 ? elsewhere.apply(userId) : List.of();
        boolean joined = join(a, channel -> {
            long now = nanoClock.getAsLong();
            for (ProgressEvent e : seed) {
                channel.log.appendIfNewer(e, now);
            }
            a.finishedBeforeJoin = channel.log.finishedTasks(now);
            return channel.log.forNewSocket(now);
        });
        if (!joined) {
            return Optional.empty();
        }
        pids.attached(a.pid, userId);
        return Optional.of(a);
    }

    /**
     * Connection state recovery: when {@code pid} belongs to {@code userId} and the window still
     * holds every event after {@code offset}, attaches with the same pid and queues exactly those.
     * Empty when recovery is impossible (the caller then {@link #attach}es afresh).
     */
    public Optional<Attachment> recover(String userId, String pid, long offset, Outbox outbox) {
        if (!pids.ownedBy(pid, userId)) {
            return Optional.empty();
        }
        Attachment a = new Attachment(userId, pid, outbox);
        boolean ok = join(a, channel -> channel.log.after(offset, nanoClock.getAsLong()).orElse(null));
        if (ok) {
            pids.attached(pid, userId);
            return Optional.of(a);
        }
        return Optional.empty();
    }

    /**
     * Connection state recovery from the offset a Socket.IO client sends back: an offset this node
     * handed out recovers as {@link #recover(String, String, long, Outbox)}; on many nodes, one
     * another node handed out recovers from what it says the socket had seen of each task
     * ({@link RecoveryOffset}), against this node's window seeded from the cluster's shared one: the
     * socket gets every event of those tasks after what it saw, and every event of tasks it had not
     * seen. The pid is kept (the client reports {@code recovered}); its owner is the authenticated
     * {@code userId}, and a pid this node knows for another user is refused. Empty when recovery is
     * impossible (the caller then attaches afresh).
     */
    public Optional<Attachment> recover(String userId, String pid, String offset, Outbox outbox) {
        Optional<RecoveryOffset> parsed = RecoveryOffset.parse(offset);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        RecoveryOffset o = parsed.get();
        if (o.nodeTag().isEmpty() || o.nodeTag().get().equals(nodeTag)) {
            return recover(userId, pid, o.offset(), outbox);
        }
        if (nodeTag == null || o.seen().isEmpty()) {
            return Optional.empty();
        }
        if (pids.ownedByAnother(pid, userId)) {
            return Optional.empty();
        }
        Attachment a = new Attachment(userId, pid, outbox);
        List<ProgressEvent> seed = socketCount(userId) == 0 ? elsewhere.apply(userId) : List.of();
        boolean ok = join(a, channel -> {
            long now = nanoClock.getAsLong();
            for (ProgressEvent e : seed) {
                channel.log.appendIfNewer(e, now);
            }
            return channel.log.afterSeen(o.seen(), now).orElse(null);
        });
        if (!ok) {
            return Optional.empty();
        }
        pids.attached(pid, userId);
        return Optional.of(a);
    }

    /**
     * {@link #publish}, unless this node's window already holds this event of its task (same or a later
     * seq): for events a cluster bus fetches again after a gap in its subscription, which may overlap
     * what it already delivered. True when published.
     */
    public boolean publishIfNewer(String userId, ProgressEvent event) {
        Channel channel = channels.get(userId);
        if (channel != null) {
            synchronized (channel) {
                if (!channel.retired && !channel.log.isNewer(event)) {
                    return false;
                }
            }
        }
        publish(userId, event);
        return true;
    }

    /**
     * A plain-WebSocket {@code resume}: the user's task's events after {@code afterSeq} still in the
     * replay window (deltas merged), or empty when the window holds nothing of that task for this user.
     */
    public Optional<List<ProgressEvent>> taskEventsAfter(String userId, String taskId, long afterSeq) {
        Channel channel = channels.get(userId);
        if (channel == null) {
            return Optional.empty();
        }
        synchronized (channel) {
            return channel.log.taskEventsAfter(taskId, afterSeq, nanoClock.getAsLong());
        }
    }

    /** Live sockets of one user on this node (the size of room {@code user:<id>}). */
    public int socketCount(String userId) {
        Channel channel = channels.get(userId);
        return channel == null ? 0 : channel.members.length;
    }

    /** Live sockets attached, over every user. */
    public int socketCount() {
        int n = 0;
        for (Channel channel : channels.values()) {
            synchronized (channel) {
                n += channel.members.length;
            }
        }
        return n;
    }

    /** Users with a channel (live sockets or a non-empty replay window). */
    public int channelCount() {
        return channels.size();
    }

    public RealtimeCounters counters() {
        return counters;
    }

    /**
     * Forgets users with no socket and an expired window, and recovery ids gone longer than the
     * replay age. Run it periodically on the shared scheduler.
     */
    public void sweep() {
        long now = nanoClock.getAsLong();
        for (Map.Entry<String, Channel> e : channels.entrySet()) {
            Channel channel = e.getValue();
            synchronized (channel) {
                // trimmed whether or not sockets are attached: a finished task leaves once its window passed
                if (channel.log.isEmpty(now) && channel.members.length == 0) {
                    channel.retired = true;
                    channels.remove(e.getKey(), channel);
                }
            }
        }
        long maxAge = options.replayMaxAge().toNanos();
        pids.sweep(now, maxAge);
    }

    /** Closes every live socket (undeploy): code 1001 "going away"; the sockets detach themselves. */
    public void closeAll() {
        for (Channel channel : channels.values()) {
            Attachment[] members;
            synchronized (channel) {
                members = channel.members;
            }
            for (Attachment a : members) {
                a.outbox.close(1001, "server shutting down");
            }
        }
    }

    /** Adds {@code a} to its user's room with the replay {@code replay} gives; false (nothing joined) when that is null or the user is at the socket limit. */
    private boolean join(Attachment a, Function<Channel, List<ReplayLog.Entry>> replay) {
        while (true) {
            Channel channel = channels.computeIfAbsent(a.userId, id -> newChannel());
            synchronized (channel) {
                if (channel.retired) {
                    continue;
                }
                if (channel.members.length >= options.maxSocketsPerUser()) {
                    LOG.log(System.Logger.Level.DEBUG, "socket refused: a user is at the limit of {0} sockets",
                            options.maxSocketsPerUser());
                    return false;
                }
                List<ReplayLog.Entry> entries = replay.apply(channel);
                if (entries == null) {
                    return false;
                }
                for (ReplayLog.Entry e : entries) {
                    String json = toJson.apply(e.event());
                    a.outbox.offer(e.event(), new Outbox.SharedFrame(json, e.offset(), Outbox.countedBytes(e.event(), json),
                            nodeTag == null ? null : channel.log.offsetSuffix(nodeTag, e.offset())));
                }
                counters.replayed(entries.size());
                Attachment[] next = Arrays.copyOf(channel.members, channel.members.length + 1);
                next[next.length - 1] = a;
                channel.members = next;
                if (next.length == 1) {
                    interest.interest(a.userId, true);
                }
            }
            a.outbox.whenClosed(a::detach);
            LOG.log(System.Logger.Level.DEBUG, "socket attached for a user; {0} users with channels", channels.size());
            return true;
        }
    }

    private void detach(Attachment a) {
        if (!a.detached.compareAndSet(false, true)) {
            return;
        }
        Channel channel = channels.get(a.userId);
        if (channel != null) {
            synchronized (channel) {
                Attachment[] members = channel.members;
                int at = Arrays.asList(members).indexOf(a);
                if (at >= 0) {
                    Attachment[] next = new Attachment[members.length - 1];
                    System.arraycopy(members, 0, next, 0, at);
                    System.arraycopy(members, at + 1, next, at, members.length - at - 1);
                    channel.members = next;
                    if (next.length == 0) {
                        interest.interest(a.userId, false);
                    }
                }
            }
        }
        pids.detached(a.pid, nanoClock.getAsLong());
    }

    private Channel newChannel() {
        return new Channel(new ReplayLog(options.replayMaxAge().toNanos(), options.replayMaxEvents(),
                options.replayMaxBytes()));
    }

    /** One user: the sockets (copy-on-write, read while publishing) and the replay window. Guarded by itself. */
    private static final class Channel {
        final ReplayLog log;
        Attachment[] members = new Attachment[0];
        /** Set when swept; a retired channel is never used again. */
        boolean retired;

        Channel(ReplayLog log) {
            this.log = log;
        }
    }
}
