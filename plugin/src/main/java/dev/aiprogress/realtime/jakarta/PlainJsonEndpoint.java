package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.auth.OriginPolicy;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.PlainJsonSession;
import dev.aiprogress.realtime.RealtimeCounters;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;

import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The plain JSON endpoint at {@code /ai-progress/ws}: adapts one container session to a {@link PlainJsonSession}. */
public final class PlainJsonEndpoint extends RealtimeEndpoint {

    public static final String PATH = "/ai-progress/ws";

    private volatile PlainJsonSession socket;
    /** WebSocket pings on the shared scheduler; cancelled on close. */
    private volatile ScheduledFuture<?> keepAlive;

    PlainJsonEndpoint(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options,
                     OriginPolicy origins, ScheduledExecutorService scheduler) {
        super(hub, users, tasks, options, origins, scheduler, RealtimeCounters.Transport.PLAIN);
    }

    @Override
    int policyCloseCode() {
        return PlainJsonSession.CLOSE_POLICY;
    }

    @Override
    void opened(Session session, UpgradeRequest request, AsyncFrameSink sink, Parts p) {
        // no protocol-level heartbeat here: WebSocket pings (answered by every client stack) keep
        // the socket busy, and a peer that stops answering is closed by the idle timeout
        long interval = p.options().pingInterval().toMillis();
        session.setMaxIdleTimeout(interval + p.options().pingTimeout().toMillis());
        keepAlive = p.scheduler().scheduleWithFixedDelay(() -> ping(session), interval, interval, TimeUnit.MILLISECONDS);
        PlainJsonSession s = new PlainJsonSession(sink, request, p.hub(), p.users(), p.tasks(), p.options());
        socket = s;
        // through the field, not bound to s: the container keeps its handlers as long as the endpoint
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
        s.onOpen();
    }

    private void onText(String text) {
        PlainJsonSession s = socket;
        if (s != null) {
            s.onText(text);
        }
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
    void gone() {
        ScheduledFuture<?> k = keepAlive;
        PlainJsonSession s = socket;
        keepAlive = null;
        socket = null;
        if (k != null) {
            k.cancel(false);
        }
        if (s != null) {
            s.onClose();
        }
    }
}
