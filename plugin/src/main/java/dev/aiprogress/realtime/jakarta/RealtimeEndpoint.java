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

    /**
     * Everything this endpoint reaches the plugin through, dropped once its socket is gone: a container
     * may keep an endpoint instance after the socket closed (WildFly: an idle worker thread keeps its
     * last task, and through it the WebSocket channel and this endpoint, until it runs another one),
     * and that must not keep an undeployed plugin alive.
     */
    record Parts(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options, OriginPolicy origins,
                 ScheduledExecutorService scheduler, OpenSocket gauge) {
    }

    private volatile Parts parts;

    RealtimeEndpoint(Hub hub, UserLookup users, TaskControl tasks, RealtimeOptions options, OriginPolicy origins,
                     ScheduledExecutorService scheduler, RealtimeCounters.Transport transport) {
        this.parts = new Parts(hub, users, tasks, options, origins, scheduler, new OpenSocket(hub.counters(), transport));
    }

    @Override
    public final void onOpen(Session session, EndpointConfig config) {
        Parts p = parts;
        if (p == null) {
            return; // already gone: the container closed the socket before opening it
        }
        p.gauge().opened();
        UpgradeRequest request = HandshakeConfigurator.upgradeOf(config.getUserProperties());
        AsyncFrameSink sink = new AsyncFrameSink(session);
        if (!p.origins().allows(request.origin(), request.host())) {
            sink.close(policyCloseCode(), "origin not allowed");
            return;
        }
        session.setMaxTextMessageBufferSize(p.options().maxPayload());
        opened(session, request, sink, p);
    }

    /** The close code this protocol uses for a policy refusal. */
    abstract int policyCloseCode();

    /** The handshake passed: start this protocol's session on the socket. */
    abstract void opened(Session session, UpgradeRequest request, AsyncFrameSink sink, Parts parts);

    /** The socket is gone (closed or failed): stop timers, leave the hub and drop the protocol session. */
    abstract void gone();

    @Override
    public final void onClose(Session session, CloseReason closeReason) {
        end();
    }

    @Override
    public final void onError(Session session, Throwable failure) {
        end();
    }

    private void end() {
        Parts p = parts;
        if (p != null) {
            p.gauge().closed();
        }
        gone();
        parts = null;
    }
}
