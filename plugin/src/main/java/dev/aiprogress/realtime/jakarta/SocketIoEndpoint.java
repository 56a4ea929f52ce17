package dev.aiprogress.realtime.jakarta;

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
    private final PollingSessions polling;
    /** Set instead of {@link #socket} on a WebSocket that upgrades a polling session. */
    private volatile PollingSession.Upgrade upgrade;

    SocketIoEndpoint(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options,
                     ScheduledExecutorService scheduler, PollingSessions polling) {
        super(hub, users, tasks, options, scheduler, RealtimeCounters.Transport.SOCKETIO);
        this.polling = polling;
    }

    @Override
    int policyCloseCode() {
        return SocketIoSession.CLOSE_POLICY;
    }

    @Override
    void opened(Session session, UpgradeRequest request, AsyncFrameSink sink) {
        // the Engine.IO heartbeat decides liveness; the container's idle timeout (Jetty: 30 s) must not cut in first
        session.setMaxIdleTimeout(options.pingInterval().plus(options.pingTimeout()).toMillis() + 5_000);
        String sid = request.query().get("sid");
        if (sid != null) {
            upgrade(session, request, sink, sid);
            return;
        }
        SocketIoSession s = new SocketIoSession(sink, request, hub, users, tasks, options, scheduler);
        socket = s;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) s::onText);
        s.onOpen();
    }

    /** The transport upgrade of a polling session: {@code 2probe}, {@code 3probe}, {@code 5}, then the session's frames. */
    private void upgrade(Session session, UpgradeRequest request, AsyncFrameSink sink, String sid) {
        if (!"4".equals(request.query().get("EIO")) || !"websocket".equals(request.query().get("transport"))) {
            sink.close(SocketIoSession.CLOSE_PROTOCOL_ERROR, "unsupported protocol version or transport");
            return;
        }
        Optional<PollingSession> target = polling.find(sid);
        Optional<PollingSession.Upgrade> joined = target.flatMap(t -> t.upgrade(sink));
        if (joined.isEmpty()) {
            // an unknown sid, or a session that is already on (or moving to) another WebSocket
            sink.close(SocketIoSession.CLOSE_POLICY, target.isEmpty() ? "session ID unknown" : "session already upgraded");
            return;
        }
        PollingSession.Upgrade u = joined.get();
        upgrade = u;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) u::onText);
    }

    @Override
    void gone() {
        PollingSession.Upgrade u = upgrade;
        if (u != null) {
            u.onClose();
            return;
        }
        SocketIoSession s = socket;
        if (s != null) {
            s.onClose();
        }
    }
}
