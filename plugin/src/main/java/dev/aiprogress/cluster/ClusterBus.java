package dev.aiprogress.cluster;

import dev.aiprogress.event.ProgressEvent;

import java.util.List;

/**
 * Routes a user's events to the nodes that hold sockets of that user (docs/ARCHITECTURE.md). The node
 * that runs a task {@link #publish}es every event of it; the bus hands it to this node's sockets
 * directly through the {@link Delivery} it was built with, and to the other nodes that declared
 * {@link #interest} in the user. {@link LocalBus} (one node) does only the first; the Redis bus
 * ({@code cluster.redis}) does both.
 *
 * <p>Every method must not block: {@code publish} runs on HTTP client threads, {@code interest}
 * under the hub's per-user lock.
 */
public interface ClusterBus extends InterestListener, AutoCloseable {

    /** Delivers {@code event} to every socket of {@code userId}, on this node and on the others. */
    void publish(String userId, ProgressEvent event);

    /**
     * Asks the node that runs {@code taskId} to cancel it for {@code userId} (the running node
     * checks the owner). Used when the task is not on this node.
     */
    default void requestCancel(String userId, String taskId) {
    }

    /**
     * The user's recent events published on any node (oldest first, within the replay window), so a
     * socket that moved to this node can resume a task that runs elsewhere. May wait briefly for the
     * shared store (bounded); empty when there is none or it cannot answer.
     */
    default List<ProgressEvent> recentEvents(String userId) {
        return List.of();
    }

    /** For the health endpoint: {@code local} (single node), {@code up}, or {@code down}. */
    default String state() {
        return "local";
    }

    /** Stops receiving and frees connections and threads; idempotent. */
    @Override
    void close();

    /** How events for this node's sockets are handed over (the hub's {@code publish}). */
    @FunctionalInterface
    interface Delivery {
        void deliver(String userId, ProgressEvent event);

        /**
         * The same, for events fetched again after a gap in the bus's subscription (they may overlap
         * what was delivered): skipped when this node already has that event of its task. True when delivered.
         */
        default boolean deliverIfNewer(String userId, ProgressEvent event) {
            deliver(userId, event);
            return true;
        }
    }

    /** How a cancel request from another node is carried out here (the gateway's owner-checked cancel). */
    @FunctionalInterface
    interface CancelHandler {
        void cancel(String userId, String taskId);

        CancelHandler NONE = (userId, taskId) -> { };
    }
}
