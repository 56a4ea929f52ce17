package dev.aiprogress.web;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live session id → user, so a WebSocket that presents a session id (Socket.IO {@code auth.sid}
 * or a cookie) maps to the user who logged in over HTTP. Kept current by the container: destroyed
 * sessions are dropped, changed ids (login renews the id) are moved. Ids are normalised: Jetty's
 * cookie value is {@code <id>.node0}, Tomcat may append {@code .<route>}.
 */
public final class SessionRegistry implements HttpSessionListener, HttpSessionIdListener {

    private static final System.Logger LOG = System.getLogger(SessionRegistry.class.getName());

    private final Map<String, String> users = new ConcurrentHashMap<>();

    /** The id without a node/route suffix. */
    public static String normalize(String rawId) {
        String id = rawId.trim();
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    public void remember(String rawSessionId, String user) {
        users.put(normalize(rawSessionId), user);
    }

    public Optional<String> userForSessionId(String rawId) {
        if (rawId == null || rawId.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(users.get(normalize(rawId)));
    }

    public void forget(String rawSessionId) {
        users.remove(normalize(rawSessionId));
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
        String user = users.remove(normalize(oldSessionId));
        if (user != null) {
            users.put(normalize(event.getSession().getId()), user);
            LOG.log(System.Logger.Level.DEBUG, "session id changed for a registered user");
        }
    }
}
