package dev.aiprogress.auth;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live session id → user, so a WebSocket that presents a session id (Socket.IO {@code auth.sid}
 * or a cookie) maps to the user who logged in over HTTP. Kept current by the container: destroyed
 * sessions are dropped, changed ids (login renews the id) are moved. Ids are normalised: Jetty's
 * cookie value is {@code <id>.node0}, Tomcat may append {@code .<route>}. Sockets opened with a
 * session register an end hook ({@link #whenSessionEnds}): logout and expiry close them.
 */
public final class SessionRegistry implements HttpSessionListener, HttpSessionIdListener {

    private static final System.Logger LOG = System.getLogger(SessionRegistry.class.getName());

    private final Map<String, String> users = new ConcurrentHashMap<>();
    /** What runs when a session ends: its sockets close. Guarded by itself; a set per session id. */
    private final Map<String, Set<Runnable>> endHooks = new HashMap<>();

    public void remember(String rawSessionId, String user) {
        String id = Credentials.normaliseSessionId(rawSessionId);
        String before = users.put(id, user);
        if (before != null && !before.equals(user)) {
            // someone else logged in on this session: the sockets of the one before must not get their events
            runEndHooks(id);
        }
    }

    /** Runs {@code action} once when the session ends; returns what unregisters it. */
    public Runnable whenSessionEnds(String rawSessionId, Runnable action) {
        String id = Credentials.normaliseSessionId(rawSessionId);
        synchronized (endHooks) {
            endHooks.computeIfAbsent(id, k -> new HashSet<>()).add(action);
        }
        if (!users.containsKey(id)) {
            // ended between the socket's lookup and now
            runEndHooks(id);
        }
        return () -> {
            synchronized (endHooks) {
                Set<Runnable> hooks = endHooks.get(id);
                if (hooks != null && hooks.remove(action) && hooks.isEmpty()) {
                    endHooks.remove(id);
                }
            }
        };
    }

    private void runEndHooks(String id) {
        Set<Runnable> hooks;
        synchronized (endHooks) {
            hooks = endHooks.remove(id);
        }
        if (hooks != null) {
            for (Runnable hook : hooks) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "AIP-041 closing a socket of an ended session failed", e);
                }
            }
        }
    }

    public Optional<String> userForSessionId(String rawId) {
        if (rawId == null || rawId.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(users.get(Credentials.normaliseSessionId(rawId)));
    }

    /** The session ended (logout or expiry): its id maps to no one, and its sockets close. */
    public void forget(String rawSessionId) {
        String id = Credentials.normaliseSessionId(rawSessionId);
        users.remove(id);
        runEndHooks(id);
    }

    public int size() {
        return users.size();
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        forget(event.getSession().getId());
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
        String oldId = Credentials.normaliseSessionId(oldSessionId);
        String newId = Credentials.normaliseSessionId(event.getSession().getId());
        synchronized (endHooks) {
            Set<Runnable> hooks = endHooks.remove(oldId);
            if (hooks != null) {
                endHooks.computeIfAbsent(newId, k -> new HashSet<>()).addAll(hooks);
            }
        }
        String user = users.remove(oldId);
        if (user != null) {
            users.put(newId, user);
            LOG.log(System.Logger.Level.DEBUG, "session id changed for a registered user");
        }
    }
}
