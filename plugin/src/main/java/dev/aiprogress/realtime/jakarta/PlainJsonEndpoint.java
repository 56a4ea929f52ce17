package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.Identity;
import dev.aiprogress.realtime.PlainJsonSession;
import dev.aiprogress.realtime.RealtimeCounters;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The plain JSON endpoint at {@code /ai-progress/ws}: adapts one container session to a {@link PlainJsonSession}. */
public final class PlainJsonEndpoint extends Endpoint {

    public static final String PATH = "/ai-progress/ws";

    private final Hub hub;
    /** This socket in the open-sockets gauge. */
    private final OpenSocket gauge;
    private final UserLookup users;
    private final TaskControl tasks;
    private final RealtimeOptions options;
    private final ScheduledExecutorService scheduler;
    private volatile PlainJsonSession socket;
    /** WebSocket pings on the shared scheduler; cancelled on close. */
    private volatile ScheduledFuture<?> keepAlive;

    PlainJsonEndpoint(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options,
                     ScheduledExecutorService scheduler) {
        this.hub = hub;
        this.gauge = new OpenSocket(hub.counters(), RealtimeCounters.Transport.PLAIN);
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
            sink.close(PlainJsonSession.CLOSE_POLICY, "origin not allowed");
            return;
        }
        session.setMaxTextMessageBufferSize(options.maxPayload());
        // no protocol-level heartbeat here: WebSocket pings (answered by every client stack) keep
        // the socket busy, and a peer that stops answering is closed by the idle timeout
        long interval = options.pingInterval().toMillis();
        session.setMaxIdleTimeout(interval + options.pingTimeout().toMillis());
        keepAlive = scheduler.scheduleWithFixedDelay(() -> ping(session), interval, interval, TimeUnit.MILLISECONDS);
        PlainJsonSession s = new PlainJsonSession(sink, request, hub, users, tasks, options);
        socket = s;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) s::onText);
        s.onOpen();
    }

    private static void ping(Session session) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
        } catch (IOException | RuntimeException e) {
            // the socket is going away; onClose/onError cleans up
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        gauge.closed();
        ScheduledFuture<?> k = keepAlive;
        if (k != null) {
            k.cancel(false);
        }
        PlainJsonSession s = socket;
        if (s != null) {
            s.onClose();
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        gauge.closed();
        ScheduledFuture<?> k = keepAlive;
        if (k != null) {
            k.cancel(false);
        }
        PlainJsonSession s = socket;
        if (s != null) {
            s.onClose();
        }
    }
}
