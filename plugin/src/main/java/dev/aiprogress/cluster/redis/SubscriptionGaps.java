package dev.aiprogress.cluster.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes the gaps in a node's subscriptions to its users' channels: between a channel's SUBSCRIBE
 * being sent and Redis confirming it, and for as long as the subscriber connection is away (a Redis
 * restart), another node's PUBLISH reaches nobody here. Each gap is {@link #hold held} from before
 * it opens: live messages of that channel wait instead of being delivered; once subscribed again,
 * {@link #fill} delivers what the user's shared stream holds since just before the gap, then the
 * waiting messages, both only where they are newer than what this node has (a message can be in
 * both), and the channel goes live again. The stream and the subscription are two connections, so a
 * message whose event the refill already read may still arrive after it: for {@link #GRACE_NANOS}
 * after a refill the channel's live messages too are delivered only where newer. Per task nothing
 * is lost, repeated or reordered.
 *
 * <p>Thread-safe. {@link #fill} delivers under the hold's lock; {@link #hold} and {@link #drop} never
 * take it (the hub calls them under its per-user lock, which a delivery takes).
 */
final class SubscriptionGaps {

    /** How a live message of a channel is handled now. */
    enum Route {
        /** Delivered. */
        LIVE,
        /** Delivered where newer than what this node has (just after a refill). */
        IF_NEWER,
        /** Waits for the refill. */
        HELD
    }

    /** How long after a refill live messages may still repeat what it delivered. */
    static final long GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /** What the bus does with one channel message; {@code ifNewer} for the refill. */
    interface Handler {
        void handle(String message, boolean ifNewer);
    }

    private static final class Hold {
        final long sinceMillis;
        final List<String> waiting = new ArrayList<>();
        boolean released;
        /** Redis confirmed the channel's subscription since the gap began: a refill may release it. */
        volatile boolean subscribed;

        Hold(long sinceMillis) {
            this.sinceMillis = sinceMillis;
        }
    }

    private final Handler handler;
    private final ConcurrentHashMap<String, Hold> holds = new ConcurrentHashMap<>();
    /** Channels refilled lately, until when (nanoTime) their live messages are deduplicated. */
    private final ConcurrentHashMap<String, Long> refilled = new ConcurrentHashMap<>();

    SubscriptionGaps(Handler handler) {
        this.handler = handler;
    }

    /** Holds the channel's live messages from now on; a hold already in place (an earlier gap) is kept. */
    void hold(String channel, long sinceMillis) {
        holds.compute(channel, (c, h) -> {
            if (h == null) {
                return new Hold(sinceMillis);
            }
            h.subscribed = false;
            return h;
        });
    }

    /** Redis confirmed the channel's subscription. */
    void subscribed(String channel) {
        Hold h = holds.get(channel);
        if (h != null) {
            h.subscribed = true;
        }
    }

    /** Held channels whose subscription is confirmed: waiting only for their refill. */
    Set<String> readyToFill() {
        Set<String> ready = new java.util.HashSet<>();
        holds.forEach((channel, h) -> {
            if (h.subscribed) {
                ready.add(channel);
            }
        });
        return ready;
    }

    /** What to do with a live message: {@link Route#HELD} when it now waits for the channel's refill. */
    Route offer(String channel, String message) {
        Hold h = holds.get(channel);
        if (h != null) {
            synchronized (h) {
                if (!h.released) {
                    h.waiting.add(message);
                    return Route.HELD;
                }
            }
        }
        if (!refilled.isEmpty()) {
            Long until = refilled.get(channel);
            if (until != null) {
                if (System.nanoTime() - until < 0) {
                    return Route.IF_NEWER;
                }
                refilled.remove(channel, until);
            }
        }
        return Route.LIVE;
    }

    /** Channels held now. */
    Set<String> held() {
        return Set.copyOf(holds.keySet());
    }

    /** Where the refill of a held channel starts (wall-clock millis, as Redis stream ids count); -1 when not held. */
    long since(String channel) {
        Hold h = holds.get(channel);
        return h == null ? -1 : h.sinceMillis;
    }

    /**
     * The channel is subscribed again: delivers {@code fromStream} (the shared stream's messages since
     * {@link #since}, oldest first; empty when it could not be read), then the messages that waited,
     * and releases the hold.
     */
    void fill(String channel, List<String> fromStream) {
        Hold h = holds.get(channel);
        if (h == null || !h.subscribed) {
            return; // the subscription dropped again: the next confirmation refills it
        }
        synchronized (h) {
            if (h.released) {
                return;
            }
            for (String m : fromStream) {
                handler.handle(m, true);
            }
            for (String m : h.waiting) {
                handler.handle(m, true);
            }
            h.waiting.clear();
            refilled.put(channel, System.nanoTime() + GRACE_NANOS);
            h.released = true;
        }
        holds.remove(channel, h);
    }

    /** Nobody here wants the channel any more: forget its hold and what waited. */
    void drop(String channel) {
        holds.remove(channel);
        refilled.remove(channel);
    }
}
