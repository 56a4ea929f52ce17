package dev.aiprogress.web;

import dev.aiprogress.gateway.Generation;
import dev.aiprogress.gateway.GenerationResult;
import dev.aiprogress.gateway.GenerationState;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SSE chat whose client stops reading: the reply's queue is bounded by
 * {@code ai-progress.http.max-buffered-bytes}; past it the client is dropped as a slow consumer and
 * the task is cancelled (the upstream connection closes), instead of the whole stream piling up in
 * the server's memory.
 */
class SlowSseClientWebTest {

    static final int PIECES = 6_000;

    @Test
    void sseClientThatStopsReading_pastTheBound_isDroppedAndTheTaskCancelled() throws Exception {
        floodAStalledSseClient(Map.of("ai-progress.http.max-buffered-bytes", "16384"));
    }

    /**
     * With an emit interval the bound is usually passed by the timer's flush, on the scheduler thread
     * holding the generation's lock, while the upstream I/O thread delivers the next chunk holding the
     * stream's lock: the cancel that follows must not wait for the stream's lock from there (it did, and
     * both threads stopped for good: the upstream call stayed open and no later chat got an answer).
     */
    @Test
    void sseClientThatStopsReading_withAnEmitInterval_theCancelDoesNotDeadlockTheTimerAndTheUpstreamThread()
            throws Exception {
        floodAStalledSseClient(Map.of("ai-progress.http.max-buffered-bytes", "16384", "ai-progress.emit.interval-ms", "2"));
    }

    private static void floodAStalledSseClient(Map<String, String> config) throws Exception {
        try (MockUpstream upstream = MockUpstream.start();
             EmbeddedJetty jetty = E2e.server(upstream, config)
                     .connector(c -> c.setAcceptedSendBufferSize(8192)).start()) {
            String chunk = OpenAiStream.create("deepseek-reasoner").content("x".repeat(150)).build();
            // the last piece (finish and [DONE]) is never sent: the stream cannot end by itself, so a
            // closed upstream connection can only be the cancel's doing — the plugin reads fast enough to
            // take a whole short body before a cancel lands, and a finished body goes back to the pool
            upstream.enqueue(MockResponse.sse("").generated(PIECES, i -> (i == PIECES - 1
                    ? OpenAiStream.create("deepseek-reasoner").finish("stop").done().build() : chunk)
                    .getBytes(StandardCharsets.UTF_8)).stallAfter(PIECES - 1));
            HttpClient owner = jetty.newClient();
            assertEquals(200, jetty.login(owner, "alice", E2e.USERS.get("alice")).statusCode());
            String body = ChatWeb.userMessage("flood me", "\"task_id\":\"sse-flood\",\"stream\":true");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try (Socket stalled = new Socket()) {
                stalled.setReceiveBufferSize(4096);
                stalled.connect(new InetSocketAddress("127.0.0.1", jetty.baseUri().getPort()));
                OutputStream out = stalled.getOutputStream();
                out.write(("POST " + ChatWeb.CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Accept: text/event-stream\r\nCookie: " + E2e.sessionCookie(jetty, owner) + "\r\nContent-Length: "
                        + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
                // and never read

                Generation task = ChatCancelWebTest.awaitTask(jetty, "sse-flood", "alice");
                Await.within(Duration.ofSeconds(60), () -> task.result().isPresent());
                GenerationResult result = task.result().orElseThrow(() -> new AssertionError("the task never ended"));
                assertEquals(GenerationState.CANCELLED, result.state(), "the whole stream was buffered for a client that reads nothing");
                assertEquals("AIP-017", result.failure().orElseThrow().code().code());
                assertTrue(upstream.awaitClientDisconnect(Duration.ofSeconds(30)), "the upstream call was not closed");
            }
            // the timer and the upstream I/O threads still work: a later chat of the same user is answered
            upstream.enqueue(MockResponse.sse(OpenAiStream.create("deepseek-reasoner").content("still here")
                    .finish("stop").done().build()));
            var after = ChatWeb.chatAsync(jetty, owner, ChatWeb.userMessage("again", "\"task_id\":\"after-flood\""))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, after.statusCode(), after.body());
            assertTrue(after.body().contains("still here"), after.body());
        }
    }
}
