package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.auth.OriginPolicy;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.RealtimeCounters;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;
import dev.aiprogress.realtime.socketio.PollingSession;
import dev.aiprogress.realtime.socketio.PollingSessions;
import dev.aiprogress.realtime.socketio.SocketIoSession;

import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Socket.IO endpoint at {@code /socket.io/}: adapts one container session to a {@link SocketIoSession},
 * or, when it carries the {@code sid} of a session opened by HTTP long-polling, to that session's upgrade
 * ({@link PollingSession#upgrade}).
 */
public final class SocketIoEndpoint extends RealtimeEndpoint {

    public static final String PATH = "/socket.io/";

    private volatile SocketIoSession socket;
    /** Dropped with the rest when the socket is gone (see {@link RealtimeEndpoint.Parts}). */
    private volatile PollingSessions polling;
    /** Set instead of {@link #socket} on a WebSocket that upgrades a polling session. */
    private volatile PollingSession.Upgrade upgrade;

    SocketIoEndpoint(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options,
                     OriginPolicy origins, ScheduledExecutorService scheduler, PollingSessions polling) {
        super(hub, users, tasks, options, origins, scheduler, RealtimeCounters.Transport.SOCKETIO);
        this.polling = polling;
    }

    @Override
    int policyCloseCode() {
        return SocketIoSession.CLOSE_POLICY;
    }

    @Override
    void opened(Session session, UpgradeRequest request, AsyncFrameSink sink, Parts p) {
        // the Engine.IO heartbeat decides liveness; the container's idle timeout (Jetty: 30 s) must not cut in first
        session.setMaxIdleTimeout(p.options().pingInterval().plus(p.options().pingTimeout()).toMillis() + 5_000);
        String sid = request.query().get("sid");
        if (sid != null) {
            upgrade(session, request, sink, sid);
            return;
        }
        SocketIoSession s = new SocketIoSession(sink, request, p.hub(), p.users(), p.tasks(), p.options(), p.scheduler());
        socket = s;
        // through the field, not bound to s: the container keeps its handlers as long as the endpoint
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
        s.onOpen();
    }

    /** The transport upgrade of a polling session: {@code 2probe}, {@code 3probe}, {@code 5}, then the session's frames. */
    private void upgrade(Session session, UpgradeRequest request, AsyncFrameSink sink, String sid) {
        if (!"4".equals(request.query().get("EIO")) || !"websocket".equals(request.query().get("transport"))) {
            sink.close(SocketIoSession.CLOSE_PROTOCOL_ERROR, "unsupported protocol version or transport");
            return;
        }
        PollingSessions sessions = polling;
        Optional<PollingSession> target = sessions == null ? Optional.empty() : sessions.find(sid);
        Optional<PollingSession.Upgrade> joined = target.flatMap(t -> t.upgrade(sink));
        if (joined.isEmpty()) {
            // an unknown sid, or a session that is already on (or moving to) another WebSocket
            sink.close(SocketIoSession.CLOSE_POLICY, target.isEmpty() ? "session ID unknown" : "session already upgraded");
            return;
        }
        PollingSession.Upgrade u = joined.get();
        upgrade = u;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
    }

    private void onText(String text) {
        PollingSession.Upgrade u = upgrade;
        if (u != null) {
            u.onText(text);
            return;
        }
        SocketIoSession s = socket;
        if (s != null) {
            s.onText(text);
        }
    }

    @Override
    void gone() {
        PollingSession.Upgrade u = upgrade;
        SocketIoSession s = socket;
        upgrade = null;
        socket = null;
        polling = null;
        if (u != null) {
            u.onClose();
        } else if (s != null) {
            s.onClose();
        }
    }
}
