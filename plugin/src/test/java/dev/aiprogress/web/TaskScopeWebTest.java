package dev.aiprogress.web;

import dev.aiprogress.web.http.HttpServices;
import dev.aiprogress.realtime.jakarta.WsClient;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockUpstream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task is (user, id): another user's chat with the same {@code task_id} starts normally, nothing
 * tells a user that someone else's id exists, and no one can replace another user's finished-task
 * record (the owner's {@code resume} keeps working).
 */
class TaskScopeWebTest {

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

    static HttpResponse<String> scriptedChat(HttpClient client, String taskId) throws Exception {
        return jetty.postJson(client, ChatWeb.CHAT,
                ChatWeb.userMessage("hi", "\"provider\":\"scripted\",\"task_id\":\"" + taskId + "\""));
    }

    @Test
    void sameTaskIdTwoUsers_bothRun_andNeitherCanTouchTheOthersRecord() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Alice", 4));
        CountDownLatch gate = stream.gateBefore(3);
        upstream.enqueue(stream.response());
        HttpClient alice = E2e.loggedIn(jetty, "alice");
        HttpClient bob = E2e.loggedIn(jetty, "bob");
        try (WsClient aliceSocket = E2e.plainSocket(jetty, E2e.sessionCookie(jetty, alice))) {
            CompletableFuture<HttpResponse<String>> aliceReply = alice.sendAsync(E2e.chatRequest(jetty, "shared-1"),
                    HttpResponse.BodyHandlers.ofString());
            ChatCancelWebTest.awaitTask(jetty, "shared-1", "alice");

            // Alice's task is live: Bob's chat with the same id starts and finishes normally
            JsonObject bobs = E2e.messageOf(scriptedChat(bob, "shared-1"));
            assertTrue(bobs.getBoolean("success"), bobs.toString());
            assertEquals("shared-1", bobs.getString("task_id"));
            // Bob's cancel of that id reaches his own finished task, never Alice's running one
            HttpResponse<String> bobCancel = jetty.postJson(bob, ChatWeb.CANCEL, "{\"task_id\":\"shared-1\"}");
            assertEquals(409, bobCancel.statusCode(), bobCancel.body());
            assertFalse(HttpServices.of(jetty.context().getServletContext()).gateway().tasks().find("shared-1", "alice")
                    .orElseThrow().state().isTerminal());

            gate.countDown();
            JsonObject alices = E2e.messageOf(aliceReply.get(20, TimeUnit.SECONDS));
            assertTrue(alices.getBoolean("success"), alices.toString());
            assertTrue(alices.getString("content").startsWith("Alice answer"), alices.toString());
            List<JsonObject> live = PlainJsonChatTest.untilType(aliceSocket, "complete");
            E2e.assertStreamRebuildsReply(live, alices, "shared-1");

            // Bob reuses the id after Alice's task ended: her finished record stays hers
            assertTrue(E2e.messageOf(scriptedChat(bob, "shared-1")).getBoolean("success"));
            aliceSocket.send("{\"action\":\"resume\",\"task_id\":\"shared-1\",\"after_seq\":1}");
            List<JsonObject> resumed = PlainJsonChatTest.untilType(aliceSocket, "complete");
            List<JsonObject> withThinking = new java.util.ArrayList<>(List.of(live.get(0)));
            withThinking.addAll(resumed);
            E2e.assertStreamRebuildsReply(withThinking, alices, "shared-1");
        }
    }
}
