package dev.aiprogress.gateway;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.GatewayHarness.RecordingObserver;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.testsupport.ReplayingProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static dev.aiprogress.testsupport.ReplayingProvider.complete;
import static dev.aiprogress.testsupport.ReplayingProvider.content;
import static dev.aiprogress.testsupport.ReplayingProvider.fail;
import static dev.aiprogress.testsupport.ReplayingProvider.reasoning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationCancelTest {

    private final GatewayHarness h = new GatewayHarness();

    @Test
    void cancel_byOwner_closesUpstreamAndEmitsErrorWithPartialText() {
        h.primary.script(reasoning("plan"), content("Part"), content(" two"));
        RecordingObserver observer = new RecordingObserver();
        Generation generation = h.start("alice", "t1", observer);
        h.primary.lastCall().steps(2);
        h.scheduler.advanceMillis(700);

        assertEquals(CancelOutcome.CANCELLED, h.gateway().cancel("t1", "alice"));

        assertTrue(h.primary.lastCall().cancelled());
        assertEquals(GenerationState.CANCELLED, generation.state());
        assertEquals(ProgressEvent.error("t1", 4, GatewayHarness.at(700), "The task was cancelled.", "cancelled",
                "AIP-017", "Part", "plan"), observer.last());
        GenerationResult result = observer.onlyResult();
        assertFalse(result.success());
        assertEquals("Part", result.content());
        assertEquals(FailureCode.CANCELLED, result.failure().orElseThrow().code());
        assertEquals(700, result.durationMs());
        assertEquals(0, h.gateway().tasks().liveCount("alice"));
    }

    @Test
    void cancel_byAnotherUser_notFoundAndTaskKeepsRunning() {
        h.primary.script(content("x"));
        Generation generation = h.start("alice", "t1", new RecordingObserver());

        assertEquals(CancelOutcome.NOT_FOUND, h.gateway().cancel("t1", "mallory"));
        assertEquals(CancelOutcome.NOT_FOUND, h.gateway().cancel("no-such-task", "mallory"));
        assertFalse(h.primary.lastCall().cancelled());
        assertEquals(GenerationState.RUNNING, generation.state());
    }

    @Test
    void cancel_afterCompletion_alreadyFinishedAndNothingEmitted() {
        h.primary.script(content("x"), complete());
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();

        assertEquals(CancelOutcome.ALREADY_FINISHED, h.gateway().cancel("t1", "alice"));
        assertEquals(List.of(EventType.THINKING, EventType.TEXT, EventType.COMPLETION, EventType.COMPLETE),
                observer.types());
        assertEquals(1, observer.results.size());
    }

    @Test
    void cancel_thenProviderCompletes_completionIgnored() {
        h.primary.script(content("x"));
        RecordingObserver observer = new RecordingObserver();
        Generation generation = h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();
        ReplayingProvider.Call call = h.primary.lastCall();
        generation.cancel();
        assertTrue(call.ended(), "the cancelled call reported its end");

        assertEquals(List.of(EventType.THINKING, EventType.TEXT, EventType.ERROR), observer.types());
        assertEquals(1, observer.results.size());
    }

    @Test
    void cancel_whileWaitingToRetry_retryNeverStarts() {
        h.options = h.options.withRetry(new GatewayOptions.Retry(3, Duration.ofSeconds(1), Duration.ofSeconds(8),
                Duration.ofSeconds(30), 0));
        h.primary.script(fail(ProviderFailure.httpStatus(503, Optional.empty(), "busy")));
        RecordingObserver observer = new RecordingObserver();
        Generation generation = h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();
        generation.cancel();
        h.scheduler.advanceMillis(5000);

        assertEquals(1, h.primary.calls().size());
        assertEquals(List.of(), h.backup.calls());
        assertEquals(List.of(EventType.THINKING, EventType.ERROR), observer.types());
        assertEquals(List.of(), h.scheduler.pending());
    }

    @Test
    void close_cancelsLiveGenerationsAndRefusesNewOnes() {
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.gateway().close();

        assertTrue(h.primary.lastCall().cancelled());
        assertEquals("The task was cancelled because the server is shutting down.", observer.last().message());
        StartResult refused = h.gateway().start(StartRequest.of("alice", GatewayHarness.request("")),
                GenerationObserver.NONE);
        assertEquals(StartResult.Reason.SHUTTING_DOWN, ((StartResult.Rejected) refused).reason());
    }

    @Test
    void cancelRacingCompletion_exactlyOneTerminalEventAndResult() throws Exception {
        for (int i = 0; i < 200; i++) {
            GatewayHarness harness = new GatewayHarness();
            harness.primary.script(content("x"), complete());
            RecordingObserver observer = new RecordingObserver();
            Generation generation = harness.start("alice", "t" + i, observer);
            harness.primary.lastCall().step();
            ReplayingProvider.Call call = harness.primary.lastCall();
            CountDownLatch go = new CountDownLatch(1);
            Thread completer = new Thread(() -> {
                awaitQuietly(go);
                call.step();
            });
            completer.start();
            go.countDown();
            generation.cancel();
            completer.join();

            long terminal = observer.types().stream()
                    .filter(t -> t == EventType.COMPLETION || t == EventType.ERROR).count();
            assertEquals(1, terminal, "iteration " + i + ": " + observer.types());
            assertEquals(1, observer.results.size());
            assertEquals(observer.results.get(0).state(), generation.state());
            assertEquals(observer.seqs(), List.of(1L, 2L, 3L, 4L).subList(0, observer.seqs().size()));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
