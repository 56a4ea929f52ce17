package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.testsupport.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real socket.io-client 4.8.1 under Node, configured exactly like the Oropendola extension,
 * against the endpoints in embedded Jetty: delivery in order, and connection state recovery.
 */
class NodeSocketIoClientTest {

    static final String TS = "2026-11-24T10:15:30.123Z";
    static RealtimeJetty server;

    @BeforeAll
    static void start() throws Exception {
        server = new RealtimeJetty(RealtimeOptions.defaults(), TaskControl.NONE);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    static List<ProgressEvent> task(String taskId) {
        return List.of(ProgressEvent.thinking(taskId, 1, TS, "Thinking…"),
                ProgressEvent.delta(EventType.REASONING, taskId, 2, TS, "Let me "),
                ProgressEvent.delta(EventType.REASONING, taskId, 3, TS, "think. "),
                ProgressEvent.delta(EventType.TEXT, taskId, 4, TS, "Hello, "),
                ProgressEvent.delta(EventType.TEXT, taskId, 5, TS, "world \"quoted\" ünï"),
                ProgressEvent.completion(taskId, 6, TS, "Hello, world \"quoted\" ünï", "Let me think. ",
                        new ProgressEvent.Usage(3, 7, 10, 2L), "scripted", "demo", "stop", 12, 5L, null),
                ProgressEvent.complete(taskId, 7, TS, "Task finished successfully"));
    }

    static String eventLine(ProgressEvent e, long offset) {
        return "{\"event\":\"ai_progress\",\"data\":" + server.json.toJson(e) + ",\"offset\":\"" + offset + "\"}";
    }

    static void awaitRoomSize(String user, int size) throws InterruptedException {
        Await.within(Duration.ofSeconds(8), () -> server.hub.socketCount(user) == size);
        assertEquals(size, server.hub.socketCount(user));
    }

    @Test
    void socketIoClient_connectedWithAuthSid_receivesEveryEventExactlyAndInOrder() throws Exception {
        try (NodeSocketIoClient node = NodeSocketIoClient.start(baseUrl(), "sid-nodeuser", "", 1, 20_000)) {
            assertEquals("{\"connect\":{\"recovered\":false,\"transport\":\"websocket\"}}", node.nextLine());
            List<ProgressEvent> events = task("node-task");
            events.forEach(e -> server.hub.publish("nodeuser", e));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                expected.add(eventLine(events.get(i), i + 1));
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                got.add(node.nextLine());
            }
            assertEquals(expected, got);
            assertEquals(0, node.awaitExit(), node.stderrText());
        }
    }

    @Test
    void socketIoClient_withSessionCookieOnly_isIdentifiedByCookie() throws Exception {
        try (NodeSocketIoClient node = NodeSocketIoClient.start(baseUrl(), "", "sid=sid-cookieuser.node0", 1, 20_000)) {
            assertEquals("{\"connect\":{\"recovered\":false,\"transport\":\"websocket\"}}", node.nextLine());
            ProgressEvent done = ProgressEvent.complete("c-task", 1, TS, "Task finished successfully");
            server.hub.publish("cookieuser", done);
            assertEquals(eventLine(done, 1), node.nextLine());
            assertEquals(0, node.awaitExit(), node.stderrText());
        }
    }

    @Test
    void socketIoClient_unknownUser_getsConnectErrorAndExitsNonZero() throws Exception {
        try (NodeSocketIoClient node = NodeSocketIoClient.start(baseUrl(), "bogus", "", 1, 20_000)) {
            assertEquals("{\"connect_error\":\"Unauthorized\"}", node.nextLine());
            assertEquals(2, node.awaitExit());
        }
    }

    @Test
    void socketIoClient_connectionDropped_reconnectsAndRecoversMissedEvents() throws Exception {
        try (NodeSocketIoClient node = NodeSocketIoClient.start(baseUrl(), "sid-dropper", "", 1, 20_000)) {
            assertEquals("{\"connect\":{\"recovered\":false,\"transport\":\"websocket\"}}", node.nextLine());
            List<ProgressEvent> events = task("drop-task");
            for (int i = 0; i < 3; i++) {
                server.hub.publish("dropper", events.get(i));
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(eventLine(events.get(i), i + 1), node.nextLine());
            }
            node.command("drop");
            assertEquals("{\"disconnect\":\"forced close\"}", node.nextLine());
            awaitRoomSize("dropper", 0);
            for (int i = 3; i < events.size(); i++) {
                server.hub.publish("dropper", events.get(i));
            }
            assertEquals("{\"connect\":{\"recovered\":true,\"transport\":\"websocket\"}}", node.nextLine());
            // the missed events wait in the outbox behind the CONNECT reply, so the two text deltas
            // arrive merged (lossless, with the later seq and offset)
            assertEquals(eventLine(events.get(3).mergedWith(events.get(4)), 5), node.nextLine());
            assertEquals(eventLine(events.get(5), 6), node.nextLine());
            assertEquals(eventLine(events.get(6), 7), node.nextLine());
            assertEquals(0, node.awaitExit(), node.stderrText());
        }
    }
}
