package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.RealtimeCounters;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;
import dev.aiprogress.realtime.socketio.SocketIoSession;

import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import java.util.concurrent.ScheduledExecutorService;

/** The Socket.IO endpoint at {@code /socket.io/}: adapts one container session to a {@link SocketIoSession}. */
public final class SocketIoEndpoint extends RealtimeEndpoint {

    public static final String PATH = "/socket.io/";

    private volatile SocketIoSession socket;

    SocketIoEndpoint(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options,
                     ScheduledExecutorService scheduler) {
        super(hub, users, tasks, options, scheduler, RealtimeCounters.Transport.SOCKETIO);
    }

    @Override
    int policyCloseCode() {
        return SocketIoSession.CLOSE_POLICY;
    }

    @Override
    void opened(Session session, UpgradeRequest request, AsyncFrameSink sink) {
        // the Engine.IO heartbeat decides liveness; the container's idle timeout (Jetty: 30 s) must not cut in first
        session.setMaxIdleTimeout(options.pingInterval().plus(options.pingTimeout()).toMillis() + 5_000);
        SocketIoSession s = new SocketIoSession(sink, request, hub, users, tasks, options, scheduler);
        socket = s;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) s::onText);
        s.onOpen();
    }

    @Override
    void gone() {
        SocketIoSession s = socket;
        if (s != null) {
            s.onClose();
        }
    }
}
