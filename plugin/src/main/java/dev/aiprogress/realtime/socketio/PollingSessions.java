package dev.aiprogress.realtime.socketio;

import dev.aiprogress.auth.OriginPolicy;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.RealtimeCounters;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The live Engine.IO sessions opened by HTTP long-polling, by sid: the servlet finds a session for
 * each GET and POST here, and the WebSocket endpoint for an upgrade. A session leaves when it
 * closes (whatever closed it), so a sid that is not here gets 400 "Session ID unknown". Sessions
 * opened straight over WebSocket are not kept here: nothing can address them by sid.
 */
public final class PollingSessions implements AutoCloseable {

    private final Hub hub;
    private final UserLookup users;
    private final TaskControl tasks;
    private final RealtimeOptions options;
    private final ScheduledExecutorService scheduler;
    private final OriginPolicy origins;
    private final ConcurrentHashMap<String, PollingSession> sessions = new ConcurrentHashMap<>();

    public PollingSessions(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options,
                           ScheduledExecutorService scheduler) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.users = Objects.requireNonNull(users, "users");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.origins = new OriginPolicy(options.allowedOrigins());
    }

    public RealtimeOptions options() {
        return options;
    }

    /** The Origin rule for every request and socket of this transport, built once from the options. */
    public OriginPolicy origins() {
        return origins;
    }

    /**
     * A handshake GET ({@code EIO=4&transport=polling}, no sid) that passed the transport's checks:
     * opens a session and answers with its open packet. The request's headers identify the user at
     * the Socket.IO CONNECT, as a WebSocket's upgrade request does.
     */
    public void open(UpgradeRequest request, PollExchange handshake) {
        String sid;
        PollingSession session;
        do {
            sid = SocketIoSession.randomId(15);
            String id = sid;
            session = new PollingSession(sid, this,
                    sink -> new SocketIoSession(sink, request, hub, users, tasks, options, scheduler, id),
                    scheduler, options.pingTimeout().toMillis());
        } while (sessions.putIfAbsent(sid, session) != null);
        hub.counters().socketOpened(RealtimeCounters.Transport.SOCKETIO);
        session.start(handshake);
    }

    /** The live session with this sid. */
    public Optional<PollingSession> find(String sid) {
        return sid == null ? Optional.empty() : Optional.ofNullable(sessions.get(sid));
    }

    /** Live sessions (polling, upgrading, or upgraded and still open). */
    public int size() {
        return sessions.size();
    }

    /** The session moved to its WebSocket, which the WebSocket endpoint counts from now on. */
    void upgraded(PollingSession session) {
        hub.counters().socketClosed(RealtimeCounters.Transport.SOCKETIO);
    }

    void closed(PollingSession session, boolean wasUpgraded) {
        if (sessions.remove(session.sid(), session) && !wasUpgraded) {
            hub.counters().socketClosed(RealtimeCounters.Transport.SOCKETIO);
        }
    }

    /** Undeploy: closes every session (a waiting GET gets the close packet). */
    @Override
    public void close() {
        for (PollingSession session : List.copyOf(sessions.values())) {
            session.shutdown();
        }
    }
}
