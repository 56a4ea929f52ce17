package dev.aiprogress.gateway;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.GatewayHarness.RecordingObserver;
import dev.aiprogress.provider.ChatProvider;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.StreamListener;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.TagRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.aiprogress.testsupport.ReplayingProvider.complete;
import static dev.aiprogress.testsupport.ReplayingProvider.content;
import static dev.aiprogress.testsupport.ReplayingProvider.emit;
import static dev.aiprogress.testsupport.ReplayingProvider.fail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayRoutingTest {

    private static final GatewayOptions.Retry THREE_TRIES =
            new GatewayOptions.Retry(3, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30), 0);

    private final GatewayHarness h = new GatewayHarness();

    private static ProviderFailure http(int status) {
        return ProviderFailure.httpStatus(status, Optional.empty(), "HTTP " + status);
    }

    @Test
    void failureBeforeFirstToken_nextProviderAnswersWithContinuousSeq() {
        h.primary.script(emit(new Chunk.Usage(3, 0, OptionalLong.empty())), fail(http(400)));
        h.backup.script(content("from backup"), complete());
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();
        h.backup.lastCall().playAll();

        assertEquals(List.of(EventType.THINKING, EventType.TEXT, EventType.COMPLETION, EventType.COMPLETE),
                observer.types());
        assertEquals(List.of(1L, 2L, 3L, 4L), observer.seqs());
        GenerationResult result = observer.onlyResult();
        assertEquals("backup", result.provider());
        assertEquals("b-model", result.model());
        assertEquals("from backup", result.content());
        assertEquals(Optional.empty(), result.usage(), "the failed attempt's usage does not count");
        assertEquals("backup", observer.events.get(2).provider());
    }

    @Test
    void failureAfterFirstToken_noFallbackAndErrorKeepsPartialText() {
        h.primary.script(emit(dev.aiprogress.stream.Delta.reasoning("hmm")), content("Partial"),
                fail(ProviderFailure.of(ProviderFailure.Kind.TRUNCATED, "The stream ended early.")));
        RecordingObserver observer = new RecordingObserver();
        Generation generation = h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();

        assertEquals(List.of(), h.backup.calls());
        assertEquals(ProgressEvent.error("t1", 4, GatewayHarness.at(0),
                "The model provider 'primary' failed: The stream ended early.", "truncated", "AIP-014",
                "Partial", "hmm"), observer.last());
        assertEquals(GenerationState.FAILED, generation.state());
        GenerationResult result = observer.onlyResult();
        assertFalse(result.success());
        assertEquals("Partial", result.content());
        assertEquals("hmm", result.reasoning());
        assertEquals(new GenerationResult.GenerationFailure(FailureCode.TRUNCATED,
                "The model provider 'primary' failed: The stream ended early."), result.failure().orElseThrow());
    }

    @Test
    void emptyContentOnly_isNoToken_soFailureStillFallsBack() {
        h.primary.script(content(""), fail(http(500)));
        h.backup.script(content("b"), complete());
        h.start("alice", "t1", new RecordingObserver());
        h.primary.lastCall().playAll();

        assertEquals(1, h.backup.calls().size());
    }

    @Test
    void toolCallAsFirstToken_laterFailureEndsTheTask() {
        h.primary.script(emit(new Chunk.ToolCall("c1", "f", "{}")),
                fail(ProviderFailure.of(ProviderFailure.Kind.IDLE_TIMEOUT, "No data for 120 seconds.")));
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();

        assertEquals(List.of(), h.backup.calls());
        assertEquals(List.of(EventType.THINKING, EventType.TOOL_CALL, EventType.ERROR), observer.types());
        assertEquals("AIP-013", observer.last().code());
        assertEquals(List.of(new Chunk.ToolCall("c1", "f", "{}")), observer.onlyResult().toolCalls());
    }

    @Test
    void everyProviderFailsBeforeFirstToken_errorCarriesLastFailure() {
        h.primary.script(fail(http(400)));
        h.backup.script(fail(ProviderFailure.of(ProviderFailure.Kind.MALFORMED, "Not JSON.")));
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();
        h.backup.lastCall().playAll();

        assertEquals(List.of(EventType.THINKING, EventType.ERROR), observer.types());
        assertEquals("AIP-015", observer.last().code());
        assertEquals("malformed", observer.last().error());
        assertEquals("", observer.last().text());
    }

    @Test
    void retryableFailures_retriedWithExponentialBackoffThenSucceed() {
        h.options = h.options.withRetry(THREE_TRIES);
        h.primary.script(fail(http(503))).script(fail(http(502))).script(content("ok"), complete());
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();
        assertEquals(List.of(Duration.ofMillis(500)), h.retryDelays());
        h.scheduler.advanceMillis(499);
        assertEquals(1, h.primary.calls().size());
        h.scheduler.advanceMillis(1);
        h.primary.lastCall().playAll();
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), h.retryDelays());
        h.scheduler.advanceMillis(1000);
        h.primary.lastCall().playAll();

        assertEquals(3, h.primary.calls().size());
        assertEquals(List.of(), h.backup.calls());
        assertEquals("ok", observer.onlyResult().content());
        assertEquals(List.of(EventType.THINKING, EventType.TEXT, EventType.COMPLETION, EventType.COMPLETE),
                observer.types());
    }

    @Test
    void retriesExhausted_fallsBackToNextProvider() {
        h.options = h.options.withRetry(new GatewayOptions.Retry(2, Duration.ofMillis(500), Duration.ofSeconds(8),
                Duration.ofSeconds(30), 0));
        h.primary.script(fail(http(500))).script(fail(http(500)));
        h.backup.script(content("b"), complete());
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();
        h.scheduler.advanceMillis(500);
        h.primary.lastCall().playAll();
        h.backup.lastCall().playAll();

        assertEquals(2, h.primary.calls().size());
        assertEquals(List.of(Duration.ofMillis(500)), h.retryDelays());
        assertEquals("backup", observer.onlyResult().provider());
    }

    @Test
    void nonRetryableFailure_notRetried() {
        h.options = h.options.withRetry(THREE_TRIES);
        h.primary.script(fail(http(401)));
        h.backup.script(content("b"), complete());
        h.start("alice", "t1", new RecordingObserver());
        h.primary.lastCall().playAll();

        assertEquals(1, h.primary.calls().size());
        assertEquals(List.of(), h.retryDelays());
        assertEquals(1, h.backup.calls().size());
    }

    @Test
    void retryAfter_longerThanBackoff_isTheDelay() {
        h.options = h.options.withRetry(THREE_TRIES);
        h.primary.script(fail(ProviderFailure.httpStatus(429, Optional.of(Duration.ofSeconds(3)), "Slow down.")))
                .script(content("ok"), complete());
        h.start("alice", "t1", new RecordingObserver());
        h.primary.lastCall().playAll();

        assertEquals(List.of(Duration.ofSeconds(3)), h.retryDelays());
        h.scheduler.advanceMillis(2999);
        assertEquals(1, h.primary.calls().size());
        h.scheduler.advanceMillis(1);
        assertEquals(2, h.primary.calls().size());
    }

    @Test
    void retryAfter_beyondCap_providerGivenUpAndNextTried() {
        h.options = h.options.withRetry(THREE_TRIES);
        h.primary.script(fail(ProviderFailure.httpStatus(429, Optional.of(Duration.ofSeconds(31)), "Quota.")));
        h.backup.script(content("b"), complete());
        h.start("alice", "t1", new RecordingObserver());
        h.primary.lastCall().playAll();

        assertEquals(List.of(), h.retryDelays());
        assertEquals(1, h.backup.calls().size());
    }

    @Test
    void firstTokenTimeout_attemptCancelledAndNextProviderTried() {
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.scheduler.advance(GatewayHarness.FIRST_TOKEN_TIMEOUT.minusMillis(1));
        assertEquals(List.of(), h.backup.calls());
        h.scheduler.advanceMillis(1);

        assertTrue(h.primary.lastCall().cancelled());
        assertEquals(1, h.backup.calls().size());
        assertEquals(List.of(EventType.THINKING), observer.types());

        h.scheduler.advance(GatewayHarness.FIRST_TOKEN_TIMEOUT);
        assertTrue(h.backup.lastCall().cancelled());
        assertEquals(List.of(EventType.THINKING, EventType.ERROR), observer.types());
        assertEquals("AIP-012", observer.last().code());
        assertEquals("The model provider 'backup' sent no answer within 45 seconds.", observer.last().message());
        assertEquals(1, h.primary.calls().size(), "a first-token timeout is not retried on the same provider");
    }

    @Test
    void firstTokenArrived_timeoutNoLongerFires() {
        h.primary.script(content("x"));
        RecordingObserver observer = new RecordingObserver();
        Generation generation = h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();
        h.scheduler.advance(GatewayHarness.FIRST_TOKEN_TIMEOUT.multipliedBy(3));

        assertEquals(GenerationState.RUNNING, generation.state());
        assertFalse(h.primary.lastCall().cancelled());
        assertEquals(List.of(), h.scheduler.pending());
    }

    @Test
    void namedProvider_onlyThatProviderIsUsed() {
        h.backup.script(fail(http(400)));
        RecordingObserver observer = new RecordingObserver();
        h.gateway().start(new StartRequest("alice", Optional.of("backup"), GatewayHarness.request(""),
                Optional.of("t1")), observer);
        h.backup.lastCall().playAll();

        assertEquals(List.of(), h.primary.calls());
        assertEquals("AIP-010", observer.last().code());
    }

    @Test
    void modelAllowList_routesOnlyToProvidersAllowingTheModel() {
        h.primarySettings = new ProviderSettings("primary", "openai", h.primarySettings.baseUrl(), Optional.empty(),
                "p-model", List.of("p-model"), TagRules.DEFAULT, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ZERO);
        h.backup.script(content("b"), complete());
        RecordingObserver observer = new RecordingObserver();
        h.gateway().start(new StartRequest("alice", Optional.empty(), GatewayHarness.request("other-model"),
                Optional.of("t1")), observer);

        assertEquals(List.of(), h.primary.calls());
        assertEquals("other-model", h.backup.lastCall().request().model());
    }

    @Test
    void providerThrowsFromStream_internalFailureFallsBack() {
        ChatProvider throwing = new ChatProvider() {
            @Override
            public String name() {
                return "primary";
            }

            @Override
            public String dialect() {
                return "openai";
            }

            @Override
            public String defaultModel() {
                return "p-model";
            }

            @Override
            public StreamHandle stream(ChatRequest request, StreamListener listener) {
                throw new IllegalStateException("bug");
            }
        };
        Gateway gateway = new Gateway(h.options.withProviderOrder(List.of("primary")),
                List.of(new ConfiguredProvider(throwing, h.primarySettings)), h.scheduler, (u, e) -> { });
        RecordingObserver observer = new RecordingObserver();
        gateway.start(StartRequest.of("alice", GatewayHarness.request("")), observer);

        assertEquals("AIP-018", observer.last().code());
        assertEquals(GenerationState.FAILED, observer.onlyResult().state());
    }
}
