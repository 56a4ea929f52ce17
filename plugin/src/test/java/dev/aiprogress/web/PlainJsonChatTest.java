package dev.aiprogress.web;

import dev.aiprogress.realtime.jakarta.WsClient;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockUpstream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain JSON endpoint {@code /ai-progress/ws} with real chats: events, resume, cancel, refusals. */
class PlainJsonChatTest {

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

    /** The {@code data} of the next {@code ai_progress} frame (checking the frame's shape). */
    static JsonObject nextEvent(WsClient socket) throws InterruptedException {
        JsonObject frame = E2e.parse(socket.next());
        assertEquals(List.of("event", "data"), List.copyOf(frame.keySet()), frame.toString());
        assertEquals("ai_progress", frame.getString("event"), frame.toString());
        return frame.getJsonObject("data");
    }

    static List<JsonObject> untilType(WsClient socket, String type) throws InterruptedException {
        List<JsonObject> events = new ArrayList<>();
        do {
            events.add(nextEvent(socket));
        } while (!events.get(events.size() - 1).getString("type").equals(type));
        return events;
    }

    @Test
    void plainSocket_realChat_framesRebuildTheReplyAndResumeReplaysOwnEventsAfterSeq() throws Exception {
        upstream.enqueue(new GatedStream(E2e.deepSeekStream("Plain", 8)).response());
        HttpClient client = E2e.loggedIn(jetty, "erin");
        try (WsClient socket = E2e.plainSocket(jetty, E2e.sessionCookie(jetty, client))) {
            HttpResponse<String> response = client.send(E2e.chatRequest(jetty, "plain-1"), HttpResponse.BodyHandlers.ofString());
            JsonObject message = E2e.messageOf(response);
            List<JsonObject> live = untilType(socket, "complete");
            E2e.assertStreamRebuildsReply(live, message, "plain-1");

            socket.send("{\"action\":\"resume\",\"task_id\":\"plain-1\",\"after_seq\":1}");
            List<JsonObject> resumed = untilType(socket, "complete");
            for (JsonObject e : resumed) {
                assertTrue(e.getJsonNumber("seq").longValue() > 1, e.toString());
            }
            List<JsonObject> withThinking = new ArrayList<>(List.of(live.get(0)));
            withThinking.addAll(resumed);
            E2e.assertStreamRebuildsReply(withThinking, message, "plain-1");
        }
    }

    @Test
    void plainSocket_cancelOwnTask_upstreamSeesTheDisconnect_andOtherUsersAreRefused() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Cancelled", 8));
        upstream.enqueue(stream.response().stallAfter(5));
        HttpClient owner = E2e.loggedIn(jetty, "erin");
        HttpClient other = E2e.loggedIn(jetty, "mallory");
        try (WsClient mine = E2e.plainSocket(jetty, E2e.sessionCookie(jetty, owner));
             WsClient theirs = E2e.plainSocket(jetty, E2e.sessionCookie(jetty, other))) {
            CompletableFuture<HttpResponse<String>> reply = owner.sendAsync(E2e.chatRequest(jetty, "plain-cancel"),
                    HttpResponse.BodyHandlers.ofString());
            untilType(mine, "reasoning");

            theirs.send("{\"action\":\"cancel\",\"task_id\":\"plain-cancel\"}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"no running task plain-cancel of yours\"}}",
                    theirs.next());
            theirs.send("{\"action\":\"resume\",\"task_id\":\"plain-cancel\",\"after_seq\":0}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"no task plain-cancel of yours\"}}", theirs.next());
            theirs.send("{\"action\":\"dance\",\"task_id\":\"x\"}");
            // nothing of the task reached the other user's socket before this answer
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"unknown action dance\"}}", theirs.next());

            mine.send("{\"action\":\"cancel\",\"task_id\":\"plain-cancel\"}");
            assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(10)), "the upstream call was not cancelled");
            List<JsonObject> rest = untilType(mine, "error");
            JsonObject error = rest.get(rest.size() - 1);
            assertEquals("plain-cancel", error.getString("task_id"));
            assertEquals("AIP-017", error.getString("code"));
            JsonObject message = E2e.messageOf(reply.get(15, TimeUnit.SECONDS));
            assertFalse(message.getBoolean("success"));
            assertEquals("plain-cancel", message.getString("task_id"));
        }
    }

    @Test
    void plainSocket_foreignOrigin_isClosedWithPolicyViolation() throws Exception {
        HttpClient client = E2e.loggedIn(jetty, "erin");
        try (WsClient socket = new WsClient("ws://127.0.0.1:" + jetty.baseUri().getPort() + "/ai-progress/ws",
                Map.of("Cookie", E2e.sessionCookie(jetty, client), "Origin", "http://evil.example"))) {
            assertEquals("1008 origin not allowed", socket.awaitClose());
        }
    }
}
