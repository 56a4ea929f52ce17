package dev.aiprogress.web.bootstrap;

import dev.aiprogress.cluster.ClusterBus;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.Gateway;
import dev.aiprogress.realtime.Hub;

import java.util.Objects;

/**
 * What the cluster bus hands to this node: events for the hub, cancels for the gateway. The bus is
 * built first, so that a Redis that is down fails the deployment before anything listens, yet the
 * hub and the gateway are built on it; this is the one edge of that cycle, connected once by
 * {@link PluginLifecycle} before any socket or request exists. Until then there is nothing here to
 * deliver to: events are dropped (no socket is open) and cancels ignored (no task runs here).
 */
final class NodeInbox implements ClusterBus.Delivery, ClusterBus.CancelHandler {

    private volatile Hub hub;
    private volatile Gateway gateway;

    void connect(Hub toHub, Gateway toGateway) {
        if (hub != null || gateway != null) {
            throw new IllegalStateException("already connected");
        }
        this.hub = Objects.requireNonNull(toHub, "hub");
        this.gateway = Objects.requireNonNull(toGateway, "gateway");
    }

    @Override
    public void deliver(String userId, ProgressEvent event) {
        Hub h = hub;
        if (h != null) {
            h.publish(userId, event);
        }
    }

    @Override
    public boolean deliverIfNewer(String userId, ProgressEvent event) {
        Hub h = hub;
        return h != null && h.publishIfNewer(userId, event);
    }

    @Override
    public void cancel(String userId, String taskId) {
        Gateway g = gateway;
        if (g != null) {
            g.cancel(taskId, userId);
        }
    }

    /** Generations running on this node, for the metrics gauge (0 before the gateway runs). */
    int liveGenerations() {
        Gateway g = gateway;
        return g == null ? 0 : g.tasks().liveCount();
    }
}
