package dev.aiprogress.web;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A socket that stops reading during a real chat is closed at its outbox bound, while the same
 * user's other sockets (the real client) receive the whole stream in order. The upstream only
 * sends a piece once the healthy sockets are at most {@link #LAG} pieces behind, so they never
 * come near the bound whatever the machine's load: only the stalled one can.
 */
class SlowSocketTest {

    static final int LAG = 4;
    static final int REASONING_PIECES = 150;
    static final int PIECE_CHARS = 2_000;

    @Test
    void socketThatStopsReading_isClosedAtItsBound_whileTheUsersOtherSocketsGetTheWholeStream() throws Exception {
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = E2e.server(upstream, Map.of(
                             "ai-progress.realtime.outbox.max-events", "256",
                             "ai-progress.realtime.outbox.max-bytes", "65536",
                             "ai-progress.metrics.backend", "plugin"))
                     // a small server send buffer: a reader that stops backs up after ~30 KB, not the kernel's megabytes
                     .connector(c -> c.setAcceptedSendBufferSize(16 * 1024))
                     .start()) {
            OpenAiStream body = OpenAiStream.create("deepseek-reasoner").role();
            List<Integer> deltaChars = new ArrayList<>(List.of(0));
            for (int i = 0; i < REASONING_PIECES; i++) {
                String piece = ("r" + i + " ").repeat(PIECE_CHARS).substring(0, PIECE_CHARS - 1) + ".";
                body.reasoning(piece);
                deltaChars.add(piece.length());
            }
            for (int i = 0; i < 10; i++) {
                String piece = "Answer " + i + ".";
                body.content(piece);
                deltaChars.add(piece.length());
            }
            GatedStream stream = new GatedStream(body.finishWithUsage("stop", 5, 50, 40).done().build());
            long[] sentBefore = new long[stream.size() + 1];
            for (int i = 0; i < stream.size(); i++) {
                sentBefore[i + 1] = sentBefore[i] + (i < deltaChars.size() ? deltaChars.get(i) : 0);
            }
            long[] received = new long[2];
            Object progress = new Object();
            stream.beforeEachPiece(i -> {
                long needed = i >= LAG ? sentBefore[i - LAG] : 0;
                synchronized (progress) {
                    long deadline = System.nanoTime() + 15_000_000_000L;
                    while (Math.min(received[0], received[1]) < needed && System.nanoTime() < deadline) {
                        try {
                            progress.wait(100);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            });
            upstream.enqueue(stream.response());

            HttpClient browser = jetty.newClient();
            assertEquals(200, jetty.login(browser, "alice", "pw-alice").statusCode());
            try (StalledSocket slow = StalledSocket.connect(jetty.baseUri().getPort(), "/socket.io/?EIO=4&transport=websocket",
                    E2e.sessionCookie(jetty, browser));
                 ExtensionFlow flow = ExtensionFlow.start(E2e.args(jetty, "alice", "--sockets", "2", "--await-go",
                         "--task-id", "slow-1"), line -> {
                     if (line.containsKey("data") && line.getJsonObject("data").containsKey("text")
                             && line.getJsonObject("data").getBoolean("partial", false)) {
                         synchronized (progress) {
                             received[line.getInt("socket")] += line.getJsonObject("data").getString("text").length();
                             progress.notifyAll();
                         }
                     }
                 })) {
                assertTrue(slow.readFrame().text().startsWith("0{\"sid\":\""));
                slow.sendText("40");
                assertTrue(slow.readFrame().text().startsWith("40{\"sid\":\""));
                // from here on the slow socket reads nothing until the chat is over
                flow.awaitKey("ready");
                flow.command("go");
                JsonObject result = flow.result();
                JsonObject message = E2e.replyMessage(result);
                for (int s = 0; s < 2; s++) {
                    E2e.assertStreamRebuildsReply(E2e.events(result, s), message, "slow-1");
                }
                assertEquals(REASONING_PIECES * PIECE_CHARS, message.getString("reasoning").length());
                assertEquals(0, flow.awaitExit(), flow.stderrText());

                StalledSocket.Ending ending = slow.readUntilEnd();
                ending.closeReason().ifPresent(reason -> assertEquals("1008 outbox overflow", reason));
                assertEquals(1, SlowSocketMetricsTest.mbean("OverflowCloses"), "the stalled socket was closed for overflow");
                assertFalse(ending.texts().isEmpty());
                for (String text : ending.texts()) {
                    assertFalse(text.contains("\"type\":\"complete\""), "the closed socket got the end of the task");
                }
            }
        }
    }
}
