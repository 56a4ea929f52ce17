package dev.aiprogress.web;

import dev.aiprogress.testsupport.EmbeddedJetty;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ai-progress.auth.allow-guest}: a realtime socket that brings no credentials connects as a
 * new guest of its own, over either transport; without the setting it is refused as before.
 */
class GuestSocketWebTest {

    @Test
    void allowGuest_socketWithoutCredentials_connectsAsANewIsolatedGuest_overWebSocketAndPolling() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().initParam("ai-progress.auth.allow-guest", "true").start()) {
            try (JdkSocket ws = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of(), "40")) {
                String reply = ws.next();
                assertTrue(reply.matches("40\\{\"sid\":\"[^\"]+\",\"pid\":\"[^\"]+\"}"), reply);
            }
            assertTrue(pollingConnect(jetty).startsWith("40{\"sid\":"));
            // each such socket is a guest of its own: two of them are two users with one socket each
            try (JdkSocket one = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of(), "40");
                 JdkSocket two = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of(), "40")) {
                assertTrue(one.next().startsWith("40{"));
                assertTrue(two.next().startsWith("40{"));
                dev.aiprogress.realtime.Hub hub = (dev.aiprogress.realtime.Hub) jetty.context().getServletContext()
                        .getAttribute(dev.aiprogress.realtime.Hub.class.getName());
                assertTrue(hub.channelCount() >= 3, "a channel per guest: " + hub.channelCount());
            }
        }
    }

    @Test
    void guestsNotAllowed_socketWithoutCredentials_unauthorized_overWebSocketAndPolling() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().start()) {
            try (JdkSocket ws = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of(), "40")) {
                assertEquals("44{\"message\":\"Unauthorized\"}", ws.next());
            }
            assertEquals("44{\"message\":\"Unauthorized\"}", pollingConnect(jetty));
        }
    }

    /** A long-polling session without credentials: handshake, CONNECT, and the CONNECT's answer. */
    private static String pollingConnect(EmbeddedJetty jetty) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> open = jetty.get(client, "/socket.io/?EIO=4&transport=polling");
        assertEquals(200, open.statusCode(), open.body());
        String sid = open.body().substring(9, 29);
        assertNotEquals("", sid);
        String q = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
        assertEquals("ok", jetty.post(client, q, "text/plain;charset=UTF-8", "40").body());
        return jetty.get(client, q).body();
    }
}
