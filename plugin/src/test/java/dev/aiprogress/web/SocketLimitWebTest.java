package dev.aiprogress.web;

import dev.aiprogress.realtime.Hub;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.EmbeddedJetty;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ai-progress.realtime.max-sockets-per-user} at its edge, on both endpoints together. */
class SocketLimitWebTest {

    static final int LIMIT = 3;
    static EmbeddedJetty jetty;

    @BeforeAll
    static void start() throws Exception {
        jetty = EmbeddedJetty.builder().users(E2e.USERS)
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .initParam("ai-progress.realtime.max-sockets-per-user", Integer.toString(LIMIT)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    static Hub hub() {
        return (Hub) jetty.context().getServletContext().getAttribute(Hub.class.getName());
    }

    static String cookieOf(String user) throws Exception {
        HttpClient client = jetty.newClient();
        assertEquals(200, jetty.login(client, user, E2e.USERS.get(user)).statusCode());
        return E2e.sessionCookie(jetty, client);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        assertTrue(Await.within(Duration.ofSeconds(5), condition), what);
    }

    static JdkSocket connected(String cookie) throws Exception {
        JdkSocket s = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of("Cookie", cookie), "40");
        String reply = s.next();
        assertTrue(reply.startsWith("40{\"sid\":"), reply);
        return s;
    }

    @Test
    void socketIo_atTheLimit_acceptsAndTheNextOneIsRefusedUntilOneCloses() throws Exception {
        String cookie = cookieOf("alice");
        List<JdkSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < LIMIT; i++) {
                open.add(connected(cookie));
            }
            assertEquals(LIMIT, hub().socketCount("alice"));
            try (JdkSocket over = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of("Cookie", cookie), "40")) {
                assertEquals("44{\"message\":\"Too many connections\"}", over.next());
            }
            assertEquals(LIMIT, hub().socketCount("alice"));
            // another user is not affected by alice's count
            try (JdkSocket bob = connected(cookieOf("bob"))) {
                assertEquals(1, hub().socketCount("bob"));
            }
            open.remove(0).close();
            await("alice's closed socket to leave", () -> hub().socketCount("alice") == LIMIT - 1);
            open.add(connected(cookie));
            assertEquals(LIMIT, hub().socketCount("alice"));
        } finally {
            open.forEach(JdkSocket::close);
        }
        await("every socket to leave", () -> hub().socketCount("alice") == 0);
    }

    @Test
    void plainSocket_overTheLimit_getsAnErrorFrameAndClose1008() throws Exception {
        String cookie = cookieOf("carol");
        List<JdkSocket> open = new ArrayList<>();
        try {
            // the limit counts both endpoints: two Socket.IO sockets and one plain one fill it
            open.add(connected(cookie));
            open.add(connected(cookie));
            open.add(JdkSocket.open(jetty.baseUri().getPort(), "/ai-progress/ws", Map.of("Cookie", cookie)));
            await("three sockets", () -> hub().socketCount("carol") == LIMIT);
            JdkSocket over = JdkSocket.open(jetty.baseUri().getPort(), "/ai-progress/ws", Map.of("Cookie", cookie));
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"Too many connections\"}}", over.next());
            assertEquals("1008 too many connections", over.awaitClose());
            assertEquals(LIMIT, hub().socketCount("carol"));
        } finally {
            open.forEach(JdkSocket::close);
        }
        await("every socket to leave", () -> hub().socketCount("carol") == 0);
    }
}
