package dev.aiprogress.provider.scripted;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderContext;
import dev.aiprogress.provider.http.UpstreamClient;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.StreamListener;
import dev.aiprogress.provider.ToolSpec;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptedProviderTest {

    static final String QUESTION = "What is HTTP/2?";
    static final String REASONING = "The user wrote: “What is HTTP/2?”. That is 3 words.\n"
            + "Let me plan the answer: restate the question, give three short points, then a small code example.\n"
            + "A detail worth checking: naïve streaming cuts “multi-byte” characters such as é, 日本語 or 🙂 — they must arrive whole.";
    static final String ANSWER = "**You asked:** What is HTTP/2?\n\n"
            + "Here is a short answer in three points:\n\n"
            + "1. The question has 3 words and 15 characters.\n"
            + "2. Streaming sends it in small pieces — even through words like “naïve” and 日本語.\n"
            + "3. Nothing is lost: 🙂 arrives whole.\n\n"
            + "```java\n"
            + "String question = \"What is HTTP/2?\";\n"
            + "System.out.println(question.length()); // 15\n"
            + "```\n\n"
            + "Done.";

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final UpstreamClient http = new UpstreamClient(UpstreamClient.Options.defaults(Duration.ofSeconds(2), 1), scheduler);

    @AfterEach
    void stop() throws InterruptedException {
        http.close();
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private ScriptedProvider provider(Duration pacing) {
        ProviderSettings settings = ProviderSettings.of("demo", "scripted", URI.create("scripted:local"), "scripted-reasoner")
                .withPacing(pacing);
        return new ScriptedProvider(settings, new ProviderContext(http, JsonProvider.provider(), scheduler));
    }

    private static ChatRequest ask(String model, String text) {
        return ChatRequest.of(model, List.of(ChatMessage.of(ChatMessage.Role.USER, text)));
    }

    /** Records every call and the thread it came on. */
    static final class Recorder implements StreamListener {
        final List<Delta> deltas = Collections.synchronizedList(new ArrayList<>());
        final List<ProviderFailure> failures = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        volatile int completions;
        final CountDownLatch ended = new CountDownLatch(1);
        Consumer<Delta> onEach = d -> { };

        @Override
        public void onDelta(Delta delta) {
            threads.add(Thread.currentThread().getName());
            deltas.add(delta);
            onEach.accept(delta);
        }

        @Override
        public void onComplete() {
            completions++;
            ended.countDown();
        }

        @Override
        public void onFailure(ProviderFailure failure) {
            failures.add(failure);
            ended.countDown();
        }

        void await() throws InterruptedException {
            assertTrue(ended.await(10, TimeUnit.SECONDS), "stream did not end");
        }

        String reasoning() {
            StringBuilder sb = new StringBuilder();
            deltas.stream().filter(d -> d instanceof Delta.Reasoning).forEach(d -> sb.append(((Delta.Reasoning) d).text()));
            return sb.toString();
        }

        List<String> contentPieces() {
            return deltas.stream().filter(d -> d instanceof Delta.Content).map(d -> ((Delta.Content) d).text()).toList();
        }

        String content() {
            return String.join("", contentPieces());
        }
    }

    private Recorder run(ScriptedProvider provider, ChatRequest request) throws InterruptedException {
        Recorder r = new Recorder();
        provider.stream(request, r);
        r.await();
        return r;
    }

    @Test
    void stream_reasonerWithZeroPacing_deliversReasoningAnswerUsageFinishThenCompletesOnScheduler() throws Exception {
        Recorder r = run(provider(Duration.ZERO), ask("scripted-reasoner", QUESTION));

        assertEquals(REASONING, r.reasoning());
        assertEquals(ANSWER, r.content());
        int firstContent = indexOf(r.deltas, Delta.Content.class);
        assertEquals(firstContent, r.deltas.stream().filter(d -> d instanceof Delta.Reasoning).count());
        int n = r.deltas.size();
        assertEquals(new Chunk.Usage(4, 152, OptionalLong.of(67)), r.deltas.get(n - 2));
        assertEquals(new Chunk.Finish("stop"), r.deltas.get(n - 1));
        assertEquals(1, r.completions);
        assertEquals(List.of(), r.failures);
        assertFalse(r.threads.contains(Thread.currentThread().getName()));
    }

    @Test
    void stream_reasonerAnswer_cutsThroughWordsAndSurrogatePairsButNotInReasoning() throws Exception {
        Recorder r = run(provider(Duration.ZERO), ask("scripted-reasoner", QUESTION));

        assertTrue(r.contentPieces().stream().anyMatch(p -> Character.isHighSurrogate(p.charAt(p.length() - 1))));
        assertEquals(List.of("**Yo", "u asked:*"), r.contentPieces().subList(0, 2));
        assertTrue(r.deltas.stream().filter(d -> d instanceof Delta.Reasoning).map(d -> ((Delta.Reasoning) d).text())
                .noneMatch(p -> Character.isHighSurrogate(p.charAt(p.length() - 1))));
        assertTrue(r.contentPieces().stream().noneMatch(String::isEmpty));
    }

    @Test
    void stream_sameRequestTwice_givesIdenticalDeltas() throws Exception {
        ScriptedProvider p = provider(Duration.ZERO);
        Recorder a = run(p, ask("scripted-inline", "Explain <tags> & \"quotes\" 🙂"));
        Recorder b = run(p, ask("scripted-inline", "Explain <tags> & \"quotes\" 🙂"));
        assertEquals(a.deltas, b.deltas);
    }

    @Test
    void stream_withPacing_deliversTheSameDeltasInOrder() throws Exception {
        Recorder zero = run(provider(Duration.ZERO), ask("scripted-reasoner", QUESTION));
        Recorder paced = run(provider(Duration.ofNanos(1000)), ask("scripted-reasoner", QUESTION));
        assertEquals(zero.deltas, paced.deltas);
        assertEquals(1, paced.completions);
    }

    @Test
    void stream_inlineVariant_putsThinkTagsInContentCutMidTag() throws Exception {
        Recorder r = run(provider(Duration.ZERO), ask("scripted-inline", QUESTION));

        assertEquals("", r.reasoning());
        assertEquals("<think>" + REASONING + "</think>\n\n" + ANSWER, r.content());
        List<String> pieces = r.contentPieces();
        assertEquals("<th", pieces.get(0));
        assertTrue(pieces.get(1).startsWith("ink>"));
        int closer = indexOfEnding(pieces, "</");
        assertTrue(closer > 0);
        assertTrue(pieces.get(closer + 1).startsWith("think>"));
        assertEquals(new Chunk.Finish("stop"), r.deltas.get(r.deltas.size() - 1));
    }

    @Test
    void stream_toolsVariant_endsWithToolCallOfTheFirstTool() throws Exception {
        ChatRequest request = new ChatRequest("scripted-tools", List.of(ChatMessage.of(ChatMessage.Role.USER, "Weather in \"Paris\"?")),
                OptionalDouble.empty(), OptionalInt.empty(), List.of(new ToolSpec("get_weather", "Weather by city", "{}")),
                true, Optional.empty());
        Recorder r = run(provider(Duration.ZERO), request);

        assertEquals("Let me look that up.", r.content());
        int n = r.deltas.size();
        assertEquals(new Chunk.ToolCall("call_scripted_1", "get_weather", "{\"query\":\"Weather in \\\"Paris\\\"?\"}"), r.deltas.get(n - 3));
        assertEquals(new Chunk.Finish("tool_calls"), r.deltas.get(n - 1));
        assertEquals(1, r.completions);
    }

    @Test
    void stream_toolsVariantAfterToolResult_answersWithTheResult() throws Exception {
        ChatMessage call = new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(), Optional.empty(),
                List.of(new ChatMessage.ToolCallRef("call_scripted_1", "lookup", "{\"query\":\"x\"}")));
        ChatMessage result = new ChatMessage(ChatMessage.Role.TOOL, List.of(new dev.aiprogress.provider.ContentPart.Text("18 °C, sunny")),
                Optional.of("call_scripted_1"), List.of());
        ChatRequest request = ChatRequest.of("scripted-tools", List.of(ChatMessage.of(ChatMessage.Role.USER, QUESTION), call, result));
        Recorder r = run(provider(Duration.ZERO), request);

        assertEquals("**Tool result:** 18 °C, sunny\n\n" + ANSWER, r.content());
        assertTrue(r.deltas.stream().noneMatch(d -> d instanceof Chunk.ToolCall));
        assertEquals(new Chunk.Finish("stop"), r.deltas.get(r.deltas.size() - 1));
    }

    @Test
    void stream_failVariant_failsWithUpstreamErrorAfterSomeText() throws Exception {
        Recorder r = run(provider(Duration.ZERO), ask("scripted-fail", QUESTION));

        assertEquals(ANSWER.substring(0, ANSWER.length() / 2), r.content());
        assertEquals(List.of(ProviderFailure.of(ProviderFailure.Kind.UPSTREAM_ERROR, ScriptedReply.FAIL_MESSAGE)), r.failures);
        assertEquals(0, r.completions);
        assertTrue(r.deltas.stream().noneMatch(d -> d instanceof Chunk.Finish));
    }

    @Test
    void stream_reasoningOff_skipsReasoning() throws Exception {
        ChatRequest request = new ChatRequest("scripted-reasoner", List.of(ChatMessage.of(ChatMessage.Role.USER, QUESTION)),
                OptionalDouble.empty(), OptionalInt.empty(), List.of(), false, Optional.empty());
        Recorder r = run(provider(Duration.ZERO), request);

        assertEquals("", r.reasoning());
        assertEquals(ANSWER, r.content());
        assertEquals(new Chunk.Usage(4, 85, OptionalLong.of(0)), r.deltas.get(r.deltas.size() - 2));
    }

    @Test
    void stream_slowVariant_reasonsInFortyStepsThenAnswers() throws Exception {
        Recorder r = run(provider(Duration.ZERO), ask("scripted-slow", QUESTION));

        assertTrue(r.reasoning().startsWith(REASONING + "\nStep 1: weighing option 1 against the others"));
        assertTrue(r.reasoning().endsWith("\nStep 40: weighing option 40 against the others; still thinking about the trade-offs…"));
        assertEquals(ANSWER, r.content());
        assertEquals(1, r.completions);
    }

    @Test
    void stream_unknownModel_playsTheReasoner() throws Exception {
        Recorder r = run(provider(Duration.ZERO), ask("something-else", QUESTION));
        assertEquals(REASONING, r.reasoning());
    }

    @Test
    void cancel_fromInsideOnDelta_stopsAndDeliversCancelledOnce() throws Exception {
        Recorder r = new Recorder();
        StreamHandle[] handle = new StreamHandle[1];
        CountDownLatch started = new CountDownLatch(1);
        r.onEach = d -> {
            if (r.deltas.size() == 3) {
                try {
                    started.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handle[0].cancel();
                handle[0].cancel();
            }
        };
        handle[0] = provider(Duration.ZERO).stream(ask("scripted-slow", QUESTION), r);
        started.countDown();
        r.await();
        drainScheduler();

        assertEquals(3, r.deltas.size());
        assertEquals(List.of(ProviderFailure.of(ProviderFailure.Kind.CANCELLED, "cancelled")), r.failures);
        assertEquals(0, r.completions);
    }

    @Test
    void cancel_beforeFirstDelta_deliversOnlyCancelled() throws Exception {
        Recorder r = new Recorder();
        StreamHandle handle = provider(Duration.ofHours(1)).stream(ask("scripted-slow", QUESTION), r);
        handle.cancel();
        r.await();
        handle.cancel();
        drainScheduler();

        assertEquals(List.of(), r.deltas);
        assertEquals(1, r.failures.size());
        assertEquals(ProviderFailure.Kind.CANCELLED, r.failures.get(0).kind());
    }

    @Test
    void cancel_afterCompletion_changesNothing() throws Exception {
        Recorder r = new Recorder();
        StreamHandle handle = provider(Duration.ZERO).stream(ask("scripted-reasoner", QUESTION), r);
        r.await();
        handle.cancel();
        drainScheduler();

        assertEquals(1, r.completions);
        assertEquals(List.of(), r.failures);
    }

    @Test
    void defaultModelAndDialect_areTheScriptedOnes() {
        ScriptedProvider p = provider(Duration.ZERO);
        assertEquals("scripted", p.dialect());
        assertEquals("scripted-reasoner", p.defaultModel());
        assertEquals("demo", p.name());
    }

    private void drainScheduler() throws InterruptedException {
        scheduler.shutdown();
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static int indexOf(List<Delta> deltas, Class<?> type) {
        for (int i = 0; i < deltas.size(); i++) {
            if (type.isInstance(deltas.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfEnding(List<String> pieces, String suffix) {
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i).endsWith(suffix)) {
                return i;
            }
        }
        return -1;
    }
}
