package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.Identity;
import dev.aiprogress.realtime.RealtimeCounters;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;
import dev.aiprogress.realtime.socketio.SocketIoSession;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import java.util.concurrent.ScheduledExecutorService;

/** The Socket.IO endpoint at {@code /socket.io/}: adapts one container session to a {@link SocketIoSession}. */
public final class SocketIoEndpoint extends Endpoint {

    public static final String PATH = "/socket.io/";

    private final Hub hub;
    /** This socket in the open-sockets gauge. */
    private final OpenSocket gauge;
    private final UserLookup users;
    private final TaskControl tasks;
    private final RealtimeOptions options;
    private final ScheduledExecutorService scheduler;
    private volatile SocketIoSession socket;

    SocketIoEndpoint(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options,
                     ScheduledExecutorService scheduler) {
        this.hub = hub;
        this.gauge = new OpenSocket(hub.counters(), RealtimeCounters.Transport.SOCKETIO);
        this.users = users;
        this.tasks = tasks;
        this.options = options;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        gauge.opened();
        UpgradeRequest request = HandshakeConfigurator.upgradeOf(config.getUserProperties());
        AsyncFrameSink sink = new AsyncFrameSink(session);
        if (!Identity.originAllowed(request.origin(), request.host(), options.allowedOrigins())) {
            sink.close(SocketIoSession.CLOSE_POLICY, "origin not allowed");
            return;
        }
        session.setMaxTextMessageBufferSize(options.maxPayload());
        // the Engine.IO heartbeat decides liveness; the container's idle timeout (Jetty: 30 s) must not cut in first
        session.setMaxIdleTimeout(options.pingInterval().plus(options.pingTimeout()).toMillis() + 5_000);
        SocketIoSession s = new SocketIoSession(sink, request, hub, users, tasks, options, scheduler);
        socket = s;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) s::onText);
        s.onOpen();
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        gauge.closed();
        SocketIoSession s = socket;
        if (s != null) {
            s.onClose();
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        gauge.closed();
        SocketIoSession s = socket;
        if (s != null) {
            s.onClose();
        }
    }
}
