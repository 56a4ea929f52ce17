package dev.aiprogress.web;

import dev.aiprogress.realtime.jakarta.WsClient;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Oropendola extension's real flow end to end: the plugin in embedded Jetty (registered by
 * its initializer), a loopback upstream speaking DeepSeek's stream, and
 * {@code extension-flow.mjs} with socket.io-client 4.8.1 configured exactly like the extension
 * ({@code transports:['websocket','polling']}: WebSocket straight away). The same cases run with the
 * library's default options (long-polling, then the upgrade) in {@link ExtensionFlowLibraryDefaultsTest}
 * and with long-polling only in {@link ExtensionFlowPollingOnlyTest}.
 */
class ExtensionFlowTest {

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

    /** The client's {@code transports} option ({@code extension-flow.mjs --transports}). */
    String transports() {
        return "websocket,polling";
    }

    /** True when the session opens by long-polling and must upgrade to WebSocket. */
    boolean upgrades() {
        return false;
    }

    /** The Engine.IO transport the socket ends up on. */
    String finalTransport() {
        return "websocket";
    }

    /** The script's options for {@code user}, with this class's transports. */
    List<String> args(String user, String... more) {
        List<String> args = new ArrayList<>(E2e.args(jetty, user, more));
        args.addAll(List.of("--transports", transports()));
        return args;
    }

    @Test
    void connect_theClientsTransports_areTheOnesItGets() throws Exception {
        upstream.enqueue(new GatedStream(E2e.deepSeekStream("Transport", 3)).response());
        try (ExtensionFlow flow = ExtensionFlow.start(args("alice", "--task-id", "e2e-transport-1"))) {
            String connectedOn = null;
            String upgradedTo = null;
            JsonObject line;
            do {
                line = flow.await(o -> o.containsKey("connect") || o.containsKey("upgrade") || o.containsKey("result"),
                        "connect, upgrade or result");
                if (line.containsKey("connect")) {
                    connectedOn = line.getJsonObject("connect").getString("transport");
                } else if (line.containsKey("upgrade")) {
                    upgradedTo = line.getString("upgrade");
                }
            } while (!line.containsKey("result") && !(upgrades() && connectedOn != null && upgradedTo != null));
            if (upgrades()) {
                // the upgrade may finish before or after the Socket.IO CONNECT
                assertEquals(finalTransport(), upgradedTo);
            } else {
                assertEquals(finalTransport(), connectedOn);
                assertEquals(null, upgradedTo, "no upgrade was offered or taken");
            }
            JsonObject result = line.containsKey("result") ? line.getJsonObject("result") : flow.result();
            E2e.assertStreamRebuildsReply(E2e.events(result, 0), E2e.replyMessage(result), "e2e-transport-1");
            assertEquals(0, flow.awaitExit(), flow.stderrText());
        }
    }

    @Test
    void chatCompletion_upstreamCutMidStream_errorEventCarriesThePartialReply() throws Exception {
        String body = E2e.deepSeekStream("Cut", 10);
        upstream.enqueue(MockResponse.sse(body).splitEvery(40).truncateAfter(body.length() * 2 / 3));
        try (ExtensionFlow flow = ExtensionFlow.start(args("alice", "--task-id", "e2e-cut-1"))) {
            JsonObject result = flow.result();
            JsonObject message = E2e.replyMessage(result);
            assertFalse(message.getBoolean("success"));
            assertEquals("AIP-014", message.getString("code"));
            List<JsonObject> events = E2e.events(result, 0);
            assertEquals("thinking", events.get(0).getString("type"));
            JsonObject error = events.get(events.size() - 1);
            assertEquals(List.of("error", "e2e-cut-1", "AIP-014"),
                    List.of(error.getString("type"), error.getString("task_id"), error.getString("code")));
            StringBuilder reasoning = new StringBuilder();
            StringBuilder text = new StringBuilder();
            long lastSeq = 0;
            for (JsonObject e : events) {
                long seq = e.getJsonNumber("seq").longValue();
                assertTrue(seq > lastSeq, "seq " + seq + " after " + lastSeq);
                lastSeq = seq;
                switch (e.getString("type")) {
                    case "reasoning" -> reasoning.append(e.getString("text"));
                    case "text" -> text.append(e.getString("text"));
                    default -> { }
                }
            }
            assertFalse(reasoning.isEmpty());
            assertEquals(message.getString("reasoning"), reasoning.toString());
            assertEquals(message.getString("content"), text.toString());
            assertEquals(message.getString("content"), error.getString("text"));
            assertEquals(message.getString("reasoning"), error.getString("reasoning"));
            assertEquals(0, flow.awaitExit(), flow.stderrText());
        }
    }

    @Test
    void chatCompletion_deepSeekReasoningStream_eventsRebuildTheReplyInOrder() throws Exception {
        upstream.enqueue(new GatedStream(E2e.deepSeekStream("Seven", 12)).response());
        try (ExtensionFlow flow = ExtensionFlow.start(args("alice", "--task-id", "e2e-ds-1"))) {
            JsonObject login = flow.awaitKey("login").getJsonObject("login");
            assertEquals(200, login.getInt("status"));
            assertTrue(login.getJsonArray("cookies").getValuesAs(jakarta.json.JsonString.class).stream()
                    .anyMatch(c -> c.getString().equals("sid")), login.toString());
            JsonObject result = flow.result();
            JsonObject message = E2e.replyMessage(result);
            assertEquals(E2e.reasoningOf("Seven", 12), message.getString("reasoning"));
            assertEquals(E2e.contentOf("Seven", 12), message.getString("content"));
            assertEquals(message.getString("content"), message.getString("response"));
            assertTrue(message.getBoolean("success"));
            assertEquals("assistant", message.getString("role"));
            assertEquals("deepseek", message.getString("provider"));
            assertEquals("deepseek-reasoner", message.getString("model"));
            assertEquals("conv-e2e", message.getString("conversation_id"));
            assertEquals("e2e-ds-1", message.getString("task_id"));
            JsonObject usage = message.getJsonObject("usage");
            assertEquals(List.of(20L, 60L, 80L), List.of(usage.getJsonNumber("input_tokens").longValue(),
                    usage.getJsonNumber("output_tokens").longValue(), usage.getJsonNumber("total_tokens").longValue()));
            E2e.assertStreamRebuildsReply(E2e.events(result, 0), message, "e2e-ds-1");
            assertTrue(result.getJsonArray("sockets").getJsonObject(0).getBoolean("closed_on_complete"));
            assertEquals(0, flow.awaitExit(), flow.stderrText());
        }
    }

    @Test
    void chatCompletion_scriptedInlineTagsCutMidTag_eventsRebuildTheReplyInOrder() throws Exception {
        try (ExtensionFlow flow = ExtensionFlow.start(args("alice", "--task-id", "e2e-inline-1",
                "--provider", "scripted", "--model", "scripted-inline", "--message", "Explain tags & ünïcode 🎉"))) {
            JsonObject result = flow.result();
            JsonObject message = E2e.replyMessage(result);
            assertEquals("scripted", message.getString("provider"));
            assertEquals("scripted-inline", message.getString("model"));
            assertFalse(message.getString("reasoning").isEmpty());
            assertFalse(message.getString("content").isEmpty());
            assertFalse(message.getString("content").contains("<think>"), message.getString("content"));
            assertFalse(message.getString("content").contains("</think>"), message.getString("content"));
            E2e.assertStreamRebuildsReply(E2e.events(result, 0), message, "e2e-inline-1");
            assertEquals(0, flow.awaitExit(), flow.stderrText());
        }
    }

    @Test
    void twoUsersThreeSocketsEach_concurrentChats_everySocketGetsExactlyItsOwnUsersEvents() throws Exception {
        // both streams stop half way until both got there: the two chats are in flight together
        CountDownLatch bothHalfWay = new CountDownLatch(2);
        for (int n = 0; n < 2; n++) {
            GatedStream stream = new GatedStream(E2e.deepSeekStream(n == 0 ? "First" : "Second", 20));
            int half = stream.size() / 2;
            stream.beforeEachPiece(i -> {
                if (i == half) {
                    bothHalfWay.countDown();
                    GatedStream.await(bothHalfWay);
                }
            });
            upstream.enqueue(stream.response());
        }
        try (ExtensionFlow alice = ExtensionFlow.start(args("alice", "--task-id", "iso-alice",
                "--sockets", "3", "--await-go"));
             ExtensionFlow bob = ExtensionFlow.start(args("bob", "--task-id", "iso-bob",
                     "--sockets", "3", "--await-go"))) {
            alice.awaitKey("ready");
            bob.awaitKey("ready");
            alice.command("go");
            bob.command("go");
            JsonObject aliceResult = alice.result();
            JsonObject bobResult = bob.result();
            for (int s = 0; s < 3; s++) {
                E2e.assertStreamRebuildsReply(E2e.events(aliceResult, s), E2e.replyMessage(aliceResult), "iso-alice");
                E2e.assertStreamRebuildsReply(E2e.events(bobResult, s), E2e.replyMessage(bobResult), "iso-bob");
            }
            assertFalse(E2e.replyMessage(aliceResult).getString("content")
                    .equals(E2e.replyMessage(bobResult).getString("content")));
            assertEquals(0, alice.awaitExit(), alice.stderrText());
            assertEquals(0, bob.awaitExit(), bob.stderrText());
        }
    }

    @Test
    void connectionDroppedMidStream_clientRecoversWithPidAndOffset_rebuiltTextEqualsTheReply() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Dropped", 16));
        CountDownLatch resume = stream.gateBefore(stream.size() / 2);
        upstream.enqueue(stream.response());
        try (ExtensionFlow flow = ExtensionFlow.start(args("alice", "--task-id", "e2e-drop-1"))) {
            // the first half arrived live
            flow.await(o -> o.containsKey("data") && o.getJsonObject("data").getString("type").equals("reasoning"),
                    "a reasoning delta");
            flow.command("drop");
            flow.await(o -> o.containsKey("disconnect"), "the disconnect");
            // the second half is published while the client is away (it waits ≥ 0.5 s to reconnect)
            resume.countDown();
            JsonObject reconnect = flow.await(o -> o.containsKey("connect") && o.getInt("socket") == 0, "the reconnect");
            assertTrue(reconnect.getJsonObject("connect").getBoolean("recovered"), reconnect.toString());
            JsonObject result = flow.result();
            JsonObject socket = result.getJsonArray("sockets").getJsonObject(0);
            assertEquals(2, socket.getInt("connects"));
            assertEquals(1, socket.getInt("recovered"));
            E2e.assertStreamRebuildsReply(E2e.events(result, 0), E2e.replyMessage(result), "e2e-drop-1");
            assertEquals(E2e.contentOf("Dropped", 16), E2e.replyMessage(result).getString("content"));
            assertEquals(0, flow.awaitExit(), flow.stderrText());
        }
    }

    @Test
    void socketIoCancelEvent_ownRunningTask_upstreamIsCancelled_andAnotherUsersCancelIsRefused() throws Exception {
        upstream.enqueue(new GatedStream(E2e.deepSeekStream("Cancel", 8)).response().stallAfter(5));
        try (ExtensionFlow owner = ExtensionFlow.start(args("alice", "--task-id", "sio-cancel-1"));
             ExtensionFlow other = ExtensionFlow.start(args("bob", "--no-chat"))) {
            other.awaitKey("ready");
            owner.await(o -> o.containsKey("data") && o.getJsonObject("data").getString("type").equals("reasoning"),
                    "a reasoning delta");
            other.command("cancel sio-cancel-1");
            assertEquals("{\"cancelled\":false}", other.awaitKey("cancel_ack").getJsonObject("cancel_ack").toString());
            owner.command("cancel sio-cancel-1");
            assertEquals("{\"cancelled\":true}", owner.awaitKey("cancel_ack").getJsonObject("cancel_ack").toString());
            assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(10)), "the upstream call was not cancelled");

            JsonObject result = owner.result();
            List<JsonObject> events = E2e.events(result, 0);
            JsonObject error = events.get(events.size() - 1);
            assertEquals(List.of("error", "sio-cancel-1", "AIP-017"),
                    List.of(error.getString("type"), error.getString("task_id"), error.getString("code")));
            assertEquals("thinking", events.get(0).getString("type"));
            JsonObject message = E2e.replyMessage(result);
            assertFalse(message.getBoolean("success"));
            assertEquals(message.getString("reasoning"), error.getString("reasoning"));
            assertEquals(0, owner.awaitExit(), owner.stderrText());

            other.command("quit");
            assertEquals(0, E2e.events(other.result(), 0).size());
        }
    }

    @Test
    void socketConnectingAfterTheChatStarted_receivesTheTaskFromItsFirstEvent() throws Exception {
        GatedStream stream = new GatedStream(E2e.deepSeekStream("Late", 10));
        CountDownLatch rest = stream.gateBefore(6);
        upstream.enqueue(stream.response());
        HttpClient client = jetty.newClient();
        assertEquals(200, jetty.login(client, "carol", "pw-carol").statusCode());
        CompletableFuture<HttpResponse<String>> reply = client.sendAsync(E2e.chatRequest(jetty, "late-1"),
                HttpResponse.BodyHandlers.ofString());
        // an observer socket of the same user proves the first events were published before the late socket exists
        try (WsClient observer = E2e.plainSocket(jetty, E2e.sessionCookie(jetty, client))) {
            JsonObject seen;
            do {
                seen = E2e.parse(observer.next()).getJsonObject("data");
            } while (!"reasoning".equals(seen.getString("type")));
            try (ExtensionFlow late = ExtensionFlow.start(args("carol", "--no-chat"))) {
                late.awaitKey("ready");
                rest.countDown();
                JsonObject result = late.result();
                JsonObject message = E2e.messageOf(reply.get(15, TimeUnit.SECONDS));
                E2e.assertStreamRebuildsReply(E2e.events(result, 0), message, "late-1");
                assertEquals(0, late.awaitExit(), late.stderrText());
            }
        }
    }

    @Test
    void socketConnectingAfterATaskFinished_neverReceivesThatTasksEvents() throws Exception {
        upstream.enqueue(new GatedStream(E2e.deepSeekStream("Finished", 6)).response());
        HttpClient client = jetty.newClient();
        assertEquals(200, jetty.login(client, "dave", "pw-dave").statusCode());
        HttpResponse<String> first = client.send(E2e.chatRequest(jetty, "done-1"), HttpResponse.BodyHandlers.ofString());
        assertTrue(E2e.messageOf(first).getBoolean("success"));
        assertLateSocketSeesOnlyTheNextTask(client, "dave", "done-2");
    }

    @Test
    void socketConnectingAfterATaskFailed_neverReceivesItsError() throws Exception {
        HttpClient client = jetty.newClient();
        assertEquals(200, jetty.login(client, "erin", "pw-erin").statusCode());
        String failing = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"provider\":\"scripted\","
                + "\"model\":\"scripted-fail\",\"task_id\":\"failed-1\"}";
        HttpResponse<String> first = jetty.postJson(client, "/api/method/ai_assistant.api.chat_completion", failing);
        assertFalse(E2e.messageOf(first).getBoolean("success"));
        assertLateSocketSeesOnlyTheNextTask(client, "erin", "failed-2");
    }

    /** After a task of {@code user} ended (within the replay window), a new socket must see none of it, then all of the next. */
    private void assertLateSocketSeesOnlyTheNextTask(HttpClient client, String user, String nextTask) throws Exception {
        upstream.enqueue(new GatedStream(E2e.deepSeekStream("Next", 6)).response());
        try (ExtensionFlow late = ExtensionFlow.start(args(user, "--no-chat"))) {
            late.awaitKey("ready");
            HttpResponse<String> second = client.send(E2e.chatRequest(jetty, nextTask), HttpResponse.BodyHandlers.ofString());
            JsonObject result = late.result();
            List<JsonObject> events = E2e.events(result, 0);
            for (JsonObject e : events) {
                assertEquals(nextTask, e.getString("task_id"), e.toString());
            }
            E2e.assertStreamRebuildsReply(events, E2e.messageOf(second), nextTask);
            assertEquals(0, late.awaitExit(), late.stderrText());
        }
    }
}
