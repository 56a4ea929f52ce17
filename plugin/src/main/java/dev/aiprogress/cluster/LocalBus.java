package dev.aiprogress.cluster;

import dev.aiprogress.event.ProgressEvent;

import java.util.Objects;

/** One node, the default: every event goes straight to the local delivery; interest and cancels go nowhere. */
public final class LocalBus implements ClusterBus {

    private final Delivery local;

    public LocalBus(Delivery local) {
        this.local = Objects.requireNonNull(local, "local");
    }

    @Override
    public void publish(String userId, ProgressEvent event) {
        local.deliver(userId, event);
    }

    @Override
    public void interest(String userId, boolean held) {
        // nobody else to tell
    }

    @Override
    public void close() {
        // holds nothing
    }
}
