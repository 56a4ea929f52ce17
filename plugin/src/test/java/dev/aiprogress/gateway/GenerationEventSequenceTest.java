package dev.aiprogress.gateway;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.GatewayHarness.RecordingObserver;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.aiprogress.gateway.GatewayHarness.at;
import static dev.aiprogress.testsupport.ReplayingProvider.complete;
import static dev.aiprogress.testsupport.ReplayingProvider.content;
import static dev.aiprogress.testsupport.ReplayingProvider.emit;
import static dev.aiprogress.testsupport.ReplayingProvider.fail;
import static dev.aiprogress.testsupport.ReplayingProvider.reasoning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationEventSequenceTest {

    private final GatewayHarness h = new GatewayHarness();

    @Test
    void start_compatOn_emitsThinkingDeltasCompletionCompleteWithSeqFromOne() {
        h.primary.script(reasoning("Let me think."), content("Hello"), content(" world"),
                emit(new Chunk.Usage(10, 5, OptionalLong.of(2))), emit(new Chunk.Finish("stop")), complete());
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.scheduler.advanceMillis(1000);
        h.primary.lastCall().step();
        h.scheduler.advanceMillis(1500);
        h.primary.lastCall().steps(2);
        h.scheduler.advanceMillis(500);
        h.primary.lastCall().playAll();

        assertEquals(List.of(
                ProgressEvent.thinking("t1", 1, at(0), "Thinking…"),
                ProgressEvent.delta(EventType.REASONING, "t1", 2, at(1000), "Let me think."),
                ProgressEvent.delta(EventType.TEXT, "t1", 3, at(2500), "Hello"),
                ProgressEvent.delta(EventType.TEXT, "t1", 4, at(2500), " world"),
                ProgressEvent.completion("t1", 5, at(3000), "Hello world", "Let me think.",
                        new ProgressEvent.Usage(10, 5, 15, 2L), "primary", "p-model", "stop", 3000, 1500L, List.of()),
                ProgressEvent.complete("t1", 6, at(3000), "Task finished successfully")), observer.events);
    }

    @Test
    void start_providerAnswersInsideStreamCall_thinkingStillFirstWithSeqOne() {
        // thinking is emitted after the upstream call starts (issue 6: it kept the request waiting);
        // a provider that answers before stream() returns must still see it first
        h.primary.script(reasoning("r"), content("a"), complete());
        h.options = h.options.withProviderOrder(List.of("primary"));
        RecordingObserver observer = new RecordingObserver();
        Gateway gateway = new Gateway(h.options, List.of(new ConfiguredProvider(new AnswersInline(h.primary),
                h.primarySettings)), h.scheduler, (user, event) -> { }, () -> 0);
        gateway.start(new StartRequest("alice", Optional.empty(), GatewayHarness.request(""), Optional.of("t1")), observer);

        assertEquals(List.of(EventType.THINKING, EventType.REASONING, EventType.TEXT, EventType.COMPLETION,
                EventType.COMPLETE), observer.types());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), observer.seqs());
    }

    @Test
    void start_providerFailsInsideStreamCall_thinkingThenErrorOnce() {
        h.primary.script(fail(dev.aiprogress.provider.ProviderFailure.of(
                dev.aiprogress.provider.ProviderFailure.Kind.CONNECT, "refused")));
        h.options = h.options.withProviderOrder(List.of("primary"));
        RecordingObserver observer = new RecordingObserver();
        Gateway gateway = new Gateway(h.options, List.of(new ConfiguredProvider(new AnswersInline(h.primary),
                h.primarySettings)), h.scheduler, (user, event) -> { }, () -> 0);
        gateway.start(new StartRequest("alice", Optional.empty(), GatewayHarness.request(""), Optional.of("t1")), observer);

        assertEquals(List.of(EventType.THINKING, EventType.ERROR), observer.types());
        assertEquals(List.of(1L, 2L), observer.seqs());
    }

    /** Plays the whole script on the caller's thread, before {@code stream()} returns. */
    private record AnswersInline(dev.aiprogress.testsupport.ReplayingProvider inner) implements dev.aiprogress.provider.ChatProvider {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public String dialect() {
            return inner.dialect();
        }

        @Override
        public String defaultModel() {
            return inner.defaultModel();
        }

        @Override
        public dev.aiprogress.provider.StreamHandle stream(dev.aiprogress.provider.ChatRequest request,
                                                          dev.aiprogress.provider.StreamListener listener) {
            dev.aiprogress.provider.StreamHandle handle = inner.stream(request, listener);
            inner.lastCall().playAll();
            return handle;
        }
    }

    @Test
    void start_compatOff_noThinkingOrCompleteAndSeqStartsAtFirstDelta() {
        h.options = h.options.withCompatEvents(false);
        h.primary.script(content("Hi"), complete());
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();

        assertEquals(List.of(EventType.TEXT, EventType.COMPLETION), observer.types());
        assertEquals(List.of(1L, 2L), observer.seqs());
    }

    @Test
    void start_anyEvent_publishedToOwnerAndObserverInSameOrder() {
        h.primary.script(reasoning("r"), content("a"), complete());
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();

        assertEquals(observer.events, h.published.stream().map(GatewayHarness.Published::event).toList());
        assertTrue(h.published.stream().allMatch(p -> p.userId().equals("alice")));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), observer.seqs());
    }

    @Test
    void complete_withToolCallUsageAndProviderState_reachCompletionAndResult() {
        Chunk.ToolCall call = new Chunk.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}");
        h.primary.script(emit(new Delta.ProviderState("{\"signature\":\"abc\"}")), content("Checking."),
                emit(call), emit(new Chunk.Usage(20, 9, OptionalLong.empty())), emit(new Chunk.Finish("tool_calls")),
                complete());
        RecordingObserver observer = new RecordingObserver();
        h.start("alice", "t1", observer);
        h.primary.lastCall().playAll();

        assertEquals(List.of(EventType.THINKING, EventType.TEXT, EventType.TOOL_CALL, EventType.COMPLETION,
                EventType.COMPLETE), observer.types());
        assertEquals(new ProgressEvent.ToolInfo("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                observer.events.get(2).tool());
        ProgressEvent completion = observer.events.get(3);
        assertEquals(new ProgressEvent.Usage(20, 9, 29, null), completion.usage());
        assertEquals("tool_calls", completion.finishReason());
        assertEquals(null, completion.reasoningMs());

        GenerationResult result = observer.onlyResult();
        assertEquals(new GenerationResult("t1", GenerationState.COMPLETED, "Checking.", "",
                Optional.of(new Chunk.Usage(20, 9, OptionalLong.empty())), "primary", "p-model",
                Optional.of("tool_calls"), List.of(call), Optional.empty(), Optional.of("{\"signature\":\"abc\"}"),
                List.of(), 0, OptionalLong.empty()), result);
        assertTrue(result.success());
    }

    @Test
    void complete_reasoningThenText_reasoningMsEndsAtFirstTextAndDurationAtEnd() {
        h.primary.script(reasoning("a"), reasoning("b"), content("answer"), complete());
        RecordingObserver observer = new RecordingObserver();
        Generation generation = h.start("alice", "t1", observer);
        h.scheduler.advanceMillis(200);
        h.primary.lastCall().step();
        h.scheduler.advanceMillis(4000);
        h.primary.lastCall().step();
        h.scheduler.advanceMillis(2250);
        h.primary.lastCall().step();
        h.scheduler.advanceMillis(1000);
        h.primary.lastCall().step();

        GenerationResult result = generation.result().orElseThrow();
        assertEquals(OptionalLong.of(6250), result.reasoningMs());
        assertEquals(7450, result.durationMs());
        assertEquals(6250L, observer.events.get(4).reasoningMs());
        assertEquals(7450L, observer.events.get(4).durationMs());
    }

    @Test
    void complete_onlyReasoning_reasoningMsRunsToTheEnd() {
        h.primary.script(reasoning("thinking only"), complete());
        RecordingObserver observer = new RecordingObserver();
        Generation generation = h.start("alice", "t1", observer);
        h.primary.lastCall().step();
        h.scheduler.advanceMillis(3000);
        h.primary.lastCall().step();

        assertEquals(OptionalLong.of(3000), generation.result().orElseThrow().reasoningMs());
    }

    @Test
    void start_blankModel_providerDefaultModelIsAsked() {
        h.primary.script(content("x"), complete());
        h.start("alice", "t1", new RecordingObserver());

        assertEquals("p-model", h.primary.lastCall().request().model());
    }

    @Test
    void start_withoutTaskId_generatesSixteenUrlSafeChars() {
        StartResult result = h.gateway().start(StartRequest.of("alice", GatewayHarness.request("")),
                GenerationObserver.NONE);

        String id = ((StartResult.Started) result).generation().id();
        assertTrue(id.matches("[A-Za-z0-9_-]{16}"), id);
    }
}
