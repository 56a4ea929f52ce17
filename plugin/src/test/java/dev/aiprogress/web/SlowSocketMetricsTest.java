package dev.aiprogress.web;

import dev.aiprogress.web.http.HttpServices;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Realtime figures on the metrics endpoint and the MBeans: open sockets per transport, a slow
 * consumer closed at its outbox bound (one overflow close, merges while it lagged), and replay hits
 * for a socket that joins a running task.
 */
class SlowSocketMetricsTest {

    static final ObjectName REALTIME = objectName("dev.aiprogress:type=Realtime,context=\"/\"");

    static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static EmbeddedJetty.Builder server(MockUpstream upstream) {
        return E2e.server(upstream, Map.of(
                        "ai-progress.realtime.outbox.max-events", "256",
                        "ai-progress.realtime.outbox.max-bytes", "65536",
                        "ai-progress.metrics.enabled", "true",
                        "ai-progress.metrics.role", "user",
                        "ai-progress.metrics.backend", "plugin"))
                .connector(c -> c.setAcceptedSendBufferSize(16 * 1024));
    }

    static Map<String, Long> metrics(EmbeddedJetty jetty) throws Exception {
        HttpResponse<String> r = jetty.get(jetty.newClient(), "/ai-progress/metrics", "Authorization",
                "Basic " + Base64.getEncoder().encodeToString("alice:pw-alice".getBytes()));
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Math.round(Double.parseDouble(line.substring(space + 1))));
            }
        }
        return out;
    }

    static long mbean(String attribute) throws Exception {
        return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(REALTIME, attribute)).longValue();
    }

    /** A plain JSON socket of the client's user that counts the frames it receives. */
    static WebSocket plainSocket(EmbeddedJetty jetty, HttpClient browser, AtomicInteger frames) {
        return plainSocket(jetty, browser, frames, new java.util.concurrent.atomic.AtomicLong());
    }

    static WebSocket plainSocket(EmbeddedJetty jetty, HttpClient browser, AtomicInteger frames,
                                 java.util.concurrent.atomic.AtomicLong chars) {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", E2e.sessionCookie(jetty, browser))
                .buildAsync(URI.create("ws://127.0.0.1:" + jetty.baseUri().getPort() + "/ai-progress/ws"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                chars.addAndGet(data.length());
                                frames.incrementAndGet();
                                ws.request(1);
                                return null;
                            }
                        }).join();
    }

    static final int PIECES = 150;
    static final int PIECE_CHARS = 2_000;
    static final int LAG = 4;

    static final String SOCKETIO = "ai_progress_sockets_open{transport=\"socketio\"}";
    static final String PLAIN = "ai_progress_sockets_open{transport=\"plain\"}";
    static final String OVERFLOWS = "ai_progress_outbox_overflow_closes_total";
    static final String MERGES = "ai_progress_outbox_merges_total";

    @Test
    void slowConsumer_isOneOverflowClose_andSocketsAreCountedPerTransport() throws Exception {
        try (MockUpstream upstream = MockUpstream.start(); EmbeddedJetty jetty = server(upstream).start()) {
            HttpClient browser = jetty.newClient();
            assertEquals(200, jetty.login(browser, "alice", "pw-alice").statusCode());
            AtomicInteger plainFrames = new AtomicInteger();
            java.util.concurrent.atomic.AtomicLong plainChars = new java.util.concurrent.atomic.AtomicLong();
            WebSocket plain = plainSocket(jetty, browser, plainFrames, plainChars);
            try (StalledSocket slow = StalledSocket.connect(jetty.baseUri().getPort(), "/socket.io/?EIO=4&transport=websocket",
                    E2e.sessionCookie(jetty, browser))) {
                assertTrue(slow.readFrame().text().startsWith("0{\"sid\":\""));
                slow.sendText("40");
                assertTrue(slow.readFrame().text().startsWith("40{\"sid\":\""));
                Map<String, Long> open = metrics(jetty);
                assertEquals(1, open.get(SOCKETIO));
                assertEquals(1, open.get(PLAIN));
                assertEquals(0, open.get(OVERFLOWS));
                assertEquals(1, mbean("SocketIoSockets"));
                assertEquals(1, mbean("PlainSockets"));

                // far more than the stalled socket's bound (64 KiB) plus what the TCP buffers hold; each
                // piece waits until the healthy plain socket is at most LAG pieces behind, so only the
                // stalled one can reach its bound, whatever the machine's load
                OpenAiStream body = OpenAiStream.create("deepseek-reasoner").role();
                for (int i = 0; i < PIECES; i++) {
                    body.reasoning(("r" + i + " ").repeat(1_000).substring(0, PIECE_CHARS - 1) + ".");
                }
                GatedStream stream = new GatedStream(body.content("Done.").finish("stop").done().build());
                stream.beforeEachPiece(i -> {
                    long needed = i > LAG ? (long) (i - LAG) * PIECE_CHARS : 0;
                    try {
                        Await.within(Duration.ofSeconds(15), Duration.ofMillis(1), () -> plainChars.get() >= needed);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                upstream.enqueue(stream.response());
                HttpResponse<String> reply = jetty.postJson(browser, ChatWeb.CHAT, ChatWeb.userMessage("q", ""));
                assertEquals(200, reply.statusCode(), reply.body());

                slow.readUntilEnd().closeReason().ifPresent(reason -> assertEquals("1008 outbox overflow", reason));
                ChatCancelWebTest.await("the slow socket to leave the gauge", () -> {
                    try {
                        return metrics(jetty).get(SOCKETIO) == 0;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                Map<String, Long> after = metrics(jetty);
                assertEquals(1, after.get(OVERFLOWS));
                assertEquals(1, mbean("OverflowCloses"));
                assertEquals(1, after.get(PLAIN));
                assertTrue(after.get(MERGES) > 0, "the lagging socket's deltas were merged");
                assertEquals(after.get(MERGES), mbean("OutboxMerges"));
                assertTrue(after.get("ai_progress_events_delivered_total") > 0);
                assertTrue(after.get("ai_progress_delivered_bytes_total") > 150L * 2_000, "the plain socket got it all");
            } finally {
                plain.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
            }
            ChatCancelWebTest.await("the plain socket to leave the gauge", () -> {
                try {
                    return metrics(jetty).get(PLAIN) == 0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void socketJoiningARunningTask_countsItsReplayedEvents() throws Exception {
        try (MockUpstream upstream = MockUpstream.start(); EmbeddedJetty jetty = server(upstream).start()) {
            HttpClient browser = jetty.newClient();
            assertEquals(200, jetty.login(browser, "bob", "pw-bob").statusCode());
            String head = OpenAiStream.create("deepseek-reasoner").role().reasoning("Thinking.").content("The answer is").build();
            upstream.enqueue(MockResponse.sse(head + OpenAiStream.create("deepseek-reasoner").content(" never").build())
                    .splitAt(head.length()).stallAfter(1));
            CompletableFuture<HttpResponse<String>> reply = ChatWeb.chatAsync(jetty, browser,
                    ChatWeb.userMessage("q", "\"task_id\":\"replay-1\""));
            HttpServices runtime = HttpServices.of(jetty.context().getServletContext());
            ChatCancelWebTest.await("thinking, reasoning and text", () -> runtime.gateway().tasks().find("replay-1", "bob")
                    .map(g -> g.lastSeq() == 3).orElse(false));
            long before = metrics(jetty).get("ai_progress_replay_events_total");
            AtomicInteger frames = new AtomicInteger();
            WebSocket late = plainSocket(jetty, browser, frames);
            ChatCancelWebTest.await("the three replayed events", () -> frames.get() >= 3);
            assertEquals(3, metrics(jetty).get("ai_progress_replay_events_total") - before);
            assertEquals(3, mbean("ReplayedEvents") - before);
            runtime.gateway().cancel("replay-1", "bob");
            reply.join();
            late.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }
}
