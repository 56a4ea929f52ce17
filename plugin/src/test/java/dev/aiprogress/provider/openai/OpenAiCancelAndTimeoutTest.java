package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.sse.HttpStreamProvider;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.OpenAiStream;
import dev.aiprogress.testsupport.RecordingListener;
import dev.aiprogress.testsupport.StreamHarness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static dev.aiprogress.provider.openai.KeyedOpenAi.onlyFailure;
import static dev.aiprogress.provider.openai.KeyedOpenAi.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cancellation and the idle watchdog: the upstream sees the disconnect, the listener one terminal call. */
class OpenAiCancelAndTimeoutTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final StreamHarness harness = StreamHarness.of(new OpenAiDialect());

    private final KeyedOpenAi openAi = new KeyedOpenAi(harness);

    @Test
    void cancel_insideOnDelta_terminalCallAfterOnDeltaReturns() throws InterruptedException {
        String body = OpenAiStream.create("m").content("a").content("b").content("c").finish("stop").done().build();
        harness.upstream().enqueue(MockResponse.sse(body));
        StreamHandle[] handle = new StreamHandle[1];
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        RecordingListener recorder = new RecordingListener();
        dev.aiprogress.provider.StreamListener cancelling = recorder.thenOnDelta(delta -> {
            awaitQuietly(started);
            handle[0].cancel();
        });

        handle[0] = openAi.provider(harness.upstream().baseUrl(), Duration.ofSeconds(5)).stream(request(), cancelling);
        started.countDown();

        ProviderFailure failure = onlyFailure(recorder.awaitTerminal(WAIT));
        assertEquals(Kind.CANCELLED, failure.kind());
        assertEquals(List.of(Delta.content("a")), recorder.deltas());
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void stream_stallAfterFirstToken_idleTimeoutAndUpstreamClosed() throws InterruptedException {
        String body = OpenAiStream.create("m").content("a").content("b").finish("stop").done().build();
        harness.upstream().enqueue(MockResponse.sse(body).splitAt(body.indexOf("\n\n") + 2).stallAfter(1));
        RecordingListener listener = new RecordingListener();

        // 3 s, not less: the idle timer also covers connecting and the response head, which on a
        // loaded machine can take longer than a short timeout, and then "a" never arrives first.
        // The test waits for the stall to time out, so a longer bound only makes it slower.
        openAi.provider(harness.upstream().baseUrl(), Duration.ofSeconds(3)).stream(request(), listener);

        ProviderFailure failure = onlyFailure(listener.awaitTerminal(WAIT));
        assertEquals(Kind.IDLE_TIMEOUT, failure.kind());
        assertEquals("upstream sent nothing for 3 s", failure.message());
        assertEquals("a", listener.contentText());
        assertTrue(harness.upstream().awaitClientDisconnect(WAIT));
    }

    @Test
    void stream_noHeadersInTime_idleTimeout() throws InterruptedException {
        harness.upstream().enqueue(MockResponse.sse("data: [DONE]\n\n").delayHeaders(Duration.ofSeconds(4)));
        RecordingListener listener = new RecordingListener();

        // 1 s, not less: on a loaded machine a shorter timeout can fire before the request reaches
        // the mock, and a connection closed before its request is not counted as a disconnect
        openAi.provider(harness.upstream().baseUrl(), Duration.ofSeconds(1)).stream(request(), listener);

        assertEquals(Kind.IDLE_TIMEOUT, onlyFailure(listener.awaitTerminal(WAIT)).kind());
        assertTrue(harness.upstream().awaitClientDisconnect(WAIT));
    }

    @Test
    void stream_keepAlivesSlowerThanNothingButWithinIdle_complete() throws InterruptedException {
        String body = OpenAiStream.create("m").keepAlive().keepAlive().keepAlive().content("late").finish("stop").done().build();
        harness.upstream().enqueue(MockResponse.sse(body).splitEvery(15).pace(Duration.ofMillis(40)));
        RecordingListener listener = new RecordingListener();

        openAi.provider(harness.upstream().baseUrl(), Duration.ofSeconds(2)).stream(request(), listener);

        assertTrue(listener.awaitTerminal(WAIT).completed());
        assertEquals("late", listener.contentText());
    }

    @Test
    void cancel_midStream_upstreamSeesDisconnectAndOneCancelled() throws InterruptedException {
        String body = OpenAiStream.create("m").content("a").content("b").finish("stop").done().build();
        harness.upstream().enqueue(MockResponse.sse(body).splitAt(body.indexOf("\n\n") + 2).stallAfter(1));
        RecordingListener listener = new RecordingListener();
        StreamHandle handle = openAi.provider(harness.upstream().baseUrl(), Duration.ofSeconds(30)).stream(request(), listener);
        waitForContent(listener, "a");

        handle.cancel();
        handle.cancel();

        ProviderFailure failure = onlyFailure(listener.awaitTerminal(WAIT));
        assertEquals(Kind.CANCELLED, failure.kind());
        assertTrue(harness.upstream().awaitClientDisconnect(WAIT));
        assertEquals(1, listener.terminalCalls());
        assertEquals(List.of(Delta.content("a")), listener.deltas());
    }

    @Test
    void cancel_atRandomMomentsOfManyStreams_exactlyOneSerialTerminalEach() throws InterruptedException {
        HttpStreamProvider provider = openAi.provider(harness.upstream().baseUrl(), Duration.ofSeconds(5));
        java.util.Random random = new java.util.Random(42);
        List<RecordingListener> listeners = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            OpenAiStream stream = OpenAiStream.create("m");
            for (int k = 0; k < 30; k++) {
                stream.content("t" + k);
            }
            harness.upstream().enqueue(MockResponse.sse(stream.finish("stop").done().build()).splitEvery(40).pace(Duration.ofMillis(1)));
            RecordingListener listener = new RecordingListener();
            StreamHandle handle = provider.stream(request(), listener);
            Thread.sleep(random.nextInt(8));
            handle.cancel();
            listeners.add(listener);
        }
        for (RecordingListener listener : listeners) {
            listener.awaitTerminal(WAIT);
            assertEquals(1, listener.terminalCalls());
            assertEquals(0, listener.callsAfterTerminal());
            assertEquals(0, listener.overlappingCalls());
            assertTrue(listener.completed() || listener.requireFailure().kind() == Kind.CANCELLED,
                    () -> "unexpected " + listener.failure());
        }
    }

    @Test
    void cancel_beforeHeaders_upstreamSeesDisconnect() throws InterruptedException {
        harness.upstream().enqueue(MockResponse.sse("data: [DONE]\n\n").delayHeaders(Duration.ofSeconds(4)));
        RecordingListener listener = new RecordingListener();
        StreamHandle handle = openAi.provider(harness.upstream().baseUrl(), Duration.ofSeconds(30)).stream(request(), listener);
        harness.upstream().takeRequest(WAIT);

        handle.cancel();

        assertEquals(Kind.CANCELLED, onlyFailure(listener.awaitTerminal(WAIT)).kind());
        assertTrue(harness.upstream().awaitClientDisconnect(WAIT));
    }

    @Test
    void cancel_afterCompletion_noSecondTerminal() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        harness.upstream().enqueue(MockResponse.sse(OpenAiStream.create("m").content("x").finish("stop").done().build()));
        StreamHandle handle = openAi.provider(harness.upstream().baseUrl(), Duration.ofSeconds(5)).stream(request(), listener);
        listener.awaitTerminal(WAIT);

        handle.cancel();

        assertTrue(listener.completed());
        assertEquals(1, listener.terminalCalls());
        assertEquals(0, listener.callsAfterTerminal());
    }

    private static void waitForContent(RecordingListener listener, String text) throws InterruptedException {
        Await.until(WAIT, () -> listener.contentText().equals(text),
                () -> "content never became " + text + ": " + listener.deltas());
    }
}
