package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.auth.OriginPolicy;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.RealtimeCounters;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UpgradeRequest;
import dev.aiprogress.realtime.UserLookup;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

import java.util.concurrent.ScheduledExecutorService;

/**
 * What both realtime endpoints do around their protocol: the Origin check ({@link OriginPolicy}, before
 * anything is sent), the payload limit, the
 * open-sockets gauge, and one clean-up whether the container reports a close or an error.
 *
 * <p>Public on purpose: Tyrus (Payara, GlassFish) calls {@code onOpen} reflectively through the
 * declaring class, and a package-private declaring class fails with {@code IllegalAccessException}
 * (caught by the Payara container test). Subclasses are only made in this package.
 */
public abstract class RealtimeEndpoint extends Endpoint {

    final Hub hub;
    final UserLookup users;
    final TaskControl tasks;
    final RealtimeOptions options;
    final ScheduledExecutorService scheduler;
    /** This socket in the open-sockets gauge. */
    private final OpenSocket gauge;

    RealtimeEndpoint(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options,
                     ScheduledExecutorService scheduler, RealtimeCounters.Transport transport) {
        this.hub = hub;
        this.gauge = new OpenSocket(hub.counters(), transport);
        this.users = users;
        this.tasks = tasks;
        this.options = options;
        this.scheduler = scheduler;
    }

    @Override
    public final void onOpen(Session session, EndpointConfig config) {
        gauge.opened();
        UpgradeRequest request = HandshakeConfigurator.upgradeOf(config.getUserProperties());
        AsyncFrameSink sink = new AsyncFrameSink(session);
        if (!new OriginPolicy(options.allowedOrigins()).allows(request.origin(), request.host())) {
            sink.close(policyCloseCode(), "origin not allowed");
            return;
        }
        session.setMaxTextMessageBufferSize(options.maxPayload());
        opened(session, request, sink);
    }

    /** The close code this protocol uses for a policy refusal. */
    abstract int policyCloseCode();

    /** The handshake passed: start this protocol's session on the socket. */
    abstract void opened(Session session, UpgradeRequest request, AsyncFrameSink sink);

    /** The socket is gone (closed or failed): stop timers and leave the hub. */
    abstract void gone();

    @Override
    public final void onClose(Session session, CloseReason closeReason) {
        gauge.closed();
        gone();
    }

    @Override
    public final void onError(Session session, Throwable failure) {
        gauge.closed();
        gone();
    }
}
