package dev.aiprogress.web;

import dev.aiprogress.realtime.jakarta.WsClient;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logout closes the sockets opened with that session, on both endpoints, so they never receive
 * the user's later events; a socket of the same user on another session stays. Also: an over-long
 * {@code task_id} on the plain endpoint is refused without being echoed.
 */
class LogoutSocketsWebTest {

    static MockUpstream upstream;
    static EmbeddedJetty jetty;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.start();
        jetty = E2e.server(upstream, Map.of()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
        upstream.close();
    }

    /** A Socket.IO socket past its CONNECT. */
    static WsClient socketIo(String cookie) throws Exception {
        WsClient socket = new WsClient("ws://127.0.0.1:" + jetty.baseUri().getPort() + "/socket.io/?EIO=4&transport=websocket",
                Map.of("Cookie", cookie)).autoPong();
        assertTrue(socket.nextNonPing().startsWith("0{"));
        socket.send("40");
        assertTrue(socket.nextNonPing().startsWith("40{"));
        return socket;
    }

    @Test
    void logout_closesThatSessionsSocketsOnBothEndpoints_othersKeepReceiving() throws Exception {
        HttpClient laptop = E2e.loggedIn(jetty, "carol");
        HttpClient phone = E2e.loggedIn(jetty, "carol");
        String laptopCookie = E2e.sessionCookie(jetty, laptop);
        try (WsClient plain = E2e.plainSocket(jetty, laptopCookie);
             WsClient sio = socketIo(laptopCookie);
             WsClient other = E2e.plainSocket(jetty, E2e.sessionCookie(jetty, phone))) {
            HttpResponse<String> out = jetty.post(laptop, "/api/method/logout", "application/json", "");
            assertEquals(200, out.statusCode(), out.body());

            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"Logged out\"}}", plain.next());
            assertEquals("1008 logged out", plain.awaitClose());
            assertEquals("41", sio.nextNonPing());
            assertEquals("1000 logged out", sio.awaitClose());

            // the user's later events reach the phone's socket only
            HttpResponse<String> chat = jetty.postJson(phone, ChatWeb.CHAT,
                    ChatWeb.userMessage("hi", "\"provider\":\"scripted\",\"task_id\":\"after-logout\""));
            assertTrue(ChatWeb.message(chat).getBoolean("success"), chat.body());
            java.util.List<jakarta.json.JsonObject> events = PlainJsonChatTest.untilType(other, "complete");
            assertEquals("after-logout", events.get(events.size() - 1).getString("task_id"));
            assertFalse(plain.isOpen());
            assertFalse(sio.isOpen());
        }
    }

    @Test
    void plainSocket_overLongTaskId_isRefusedNamingTheLimit_neverEchoed() throws Exception {
        HttpClient client = E2e.loggedIn(jetty, "dave");
        try (WsClient socket = E2e.plainSocket(jetty, E2e.sessionCookie(jetty, client))) {
            String huge = "x".repeat(200_000);
            socket.send("{\"action\":\"resume\",\"task_id\":\"" + huge + "\",\"after_seq\":0}");
            String reply = socket.next();
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"task_id must be 1 to 64 characters of A-Z, a-z, "
                    + "0-9, '_', '.', ':' or '-'\"}}", reply);
            socket.send("{\"action\":\"" + huge + "\",\"task_id\":\"t1\"}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"unknown action; known: resume, cancel\"}}", socket.next());
        }
    }
}
