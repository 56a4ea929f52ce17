package dev.aiprogress.auth;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionRegistryTest {

    /** A container session reduced to its id (the only thing the registry reads). */
    private static HttpSessionEvent event(String id) {
        HttpSession session = (HttpSession) Proxy.newProxyInstance(HttpSession.class.getClassLoader(),
                new Class<?>[] {HttpSession.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getId")) {
                        return id;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new HttpSessionEvent(session);
    }

    @Test
    void normalize_jettyAndTomcatSuffixes_areDropped() {
        assertEquals("node01abc", Credentials.normaliseSessionId("node01abc.node0"));
        assertEquals("A1B2C3", Credentials.normaliseSessionId("A1B2C3.route7"));
        assertEquals("plain", Credentials.normaliseSessionId(" plain "));
    }

    @Test
    void userForSessionId_cookieValueWithSuffix_findsUser() {
        SessionRegistry registry = new SessionRegistry();
        registry.remember("node01abc", "alice");
        assertEquals(Optional.of("alice"), registry.userForSessionId("node01abc.node0"));
        assertEquals(Optional.empty(), registry.userForSessionId("other"));
        assertEquals(Optional.empty(), registry.userForSessionId(""));
        assertEquals(Optional.empty(), registry.userForSessionId(null));
    }

    @Test
    void sessionIdChanged_registeredUser_movesToNewId() {
        SessionRegistry registry = new SessionRegistry();
        registry.remember("old.node0", "alice");
        registry.sessionIdChanged(event("new.node0"), "old.node0");
        assertEquals(Optional.empty(), registry.userForSessionId("old"));
        assertEquals(Optional.of("alice"), registry.userForSessionId("new"));
        assertEquals(1, registry.size());
    }

    @Test
    void sessionDestroyed_registeredUser_isForgotten() {
        SessionRegistry registry = new SessionRegistry();
        registry.remember("s1", "alice");
        registry.sessionDestroyed(event("s1"));
        assertEquals(Optional.empty(), registry.userForSessionId("s1"));
        assertEquals(0, registry.size());
    }
}
