package dev.aiprogress.provider.http;

import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Idle keep-alive connections by destination, shared by every I/O loop: a request on any thread
 * takes the most recently used one (the likeliest still open), and its own loop then runs the
 * exchange. A connection is in the pool only while idle; taking it out is the one atomic step that
 * gives it to a request, so an expiry or a close racing a request never hands it to both.
 */
final class ConnectionPool {

    /**
     * Where a connection goes: scheme, host and port, and the proxy it goes through, if any.
     *
     * @param proxy null for a direct connection
     */
    record Key(boolean https, String host, int port, InetSocketAddress proxy) {
    }

    /** Idle connections kept per destination; more are closed instead of pooled. */
    static final int MAX_IDLE_PER_KEY = 64;

    private final ConcurrentHashMap<Key, Deque<Connection>> idle = new ConcurrentHashMap<>();

    /** The most recently pooled idle connection to {@code key}, now taken, or null. */
    Connection take(Key key) {
        Deque<Connection> d = idle.get(key);
        return d == null ? null : d.pollLast();
    }

    /** Pools an idle connection; false (the caller closes it) when its destination has enough. */
    boolean offer(Connection c) {
        Deque<Connection> d = idle.computeIfAbsent(c.key(), k -> new ConcurrentLinkedDeque<>());
        if (d.size() >= MAX_IDLE_PER_KEY) {
            return false;
        }
        d.addLast(c);
        return true;
    }

    /** Takes a specific connection out (to close it); false when a request took it first. */
    boolean remove(Connection c) {
        Deque<Connection> d = idle.get(c.key());
        return d != null && d.remove(c);
    }
}
