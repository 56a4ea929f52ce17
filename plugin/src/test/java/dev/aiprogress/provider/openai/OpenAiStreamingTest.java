package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import dev.aiprogress.testsupport.OpenAiStream;
import dev.aiprogress.testsupport.RecordingListener;
import dev.aiprogress.testsupport.StreamHarness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import static dev.aiprogress.testsupport.StreamHarness.assertCleanCompletion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Successful OpenAI-compatible streams through the real JDK HttpClient against {@link MockUpstream}. */
class OpenAiStreamingTest {

    @RegisterExtension
    final StreamHarness harness = StreamHarness.of(new OpenAiDialect());

    private RecordingListener run(MockResponse response) throws InterruptedException {
        ProviderSettings settings = ProviderSettings.of("deepseek", "openai", harness.upstream().baseUrl(), "deepseek-reasoner");
        return harness.run(settings, ChatRequest.of("deepseek-reasoner",
                List.of(ChatMessage.of(ChatMessage.Role.USER, "hi"))), response);
    }


    @Test
    void stream_deepSeekReasoningByteByByteWithKeepAlives_exactDeltas() throws InterruptedException {
        String body = OpenAiStream.create("deepseek-reasoner")
                .keepAlive().keepAlive()
                .role()
                .reasoning("Okay, ").reasoning("compare 9.11 and 9.9.")
                .keepAlive()
                .content("9.9").content(" is larger.")
                .finishWithUsage("stop", 16, 380, 352)
                .done()
                .build();

        RecordingListener listener = run(MockResponse.sse(body).splitEvery(1));

        assertCleanCompletion(listener);
        assertEquals(List.of(
                Delta.reasoning("Okay, "), Delta.reasoning("compare 9.11 and 9.9."),
                Delta.content("9.9"), Delta.content(" is larger."),
                new Chunk.Finish("stop"),
                new Chunk.Usage(16, 380, OptionalLong.of(352))), listener.deltas());
    }

    @Test
    void stream_crlfLineEndsSplitInRandomPieces_sameDeltas() throws InterruptedException {
        String body = OpenAiStream.create("m").crlf().keepAlive().content("a").content("b").finish("stop").done().build();

        RecordingListener listener = run(MockResponse.sse(body).splitAt(3, 17, 18, 60, 61, 62, 200).contentLength());

        assertCleanCompletion(listener);
        assertEquals(List.of(Delta.content("a"), Delta.content("b"), new Chunk.Finish("stop")), listener.deltas());
    }

    @Test
    void stream_emojiAndCjkDeliveredByteByByte_exactTextNoReplacement() throws InterruptedException {
        String text = "😀 中文 🧠";
        String body = OpenAiStream.create("m").content(text).finish("stop").done().build();

        RecordingListener listener = run(MockResponse.sse(body).splitEvery(1).pace(Duration.ofMillis(1)));

        assertCleanCompletion(listener);
        assertEquals(text, listener.contentText());
        assertTrue(listener.contentText().indexOf('\uFFFD') < 0);
    }

    @Test
    void stream_parallelToolCalls_assembledPerIndexAtFinish() throws InterruptedException {
        String body = OpenAiStream.create("m")
                .role()
                .toolCallStart(0, "call_1", "get_weather")
                .toolCallStart(1, "call_2", "get_time")
                .toolCallArguments(0, "{\"city\":\"Pa")
                .toolCallArguments(1, "{\"tz\":")
                .toolCallArguments(0, "ris\"}")
                .toolCallArguments(1, "\"UTC\"}")
                .finish("tool_calls")
                .usage(20, 9, 0)
                .done()
                .build();

        RecordingListener listener = run(MockResponse.sse(body).splitEvery(7));

        assertCleanCompletion(listener);
        assertEquals(List.of(
                new Chunk.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new Chunk.ToolCall("call_2", "get_time", "{\"tz\":\"UTC\"}"),
                new Chunk.Finish("tool_calls"),
                new Chunk.Usage(20, 9, OptionalLong.of(0))), listener.deltas());
    }

    @Test
    void stream_toolCallFragmentsWithoutIndexRepeatingId_mergedById() throws InterruptedException {
        String body = OpenAiStream.create("m")
                .delta("{\"tool_calls\":[{\"id\":\"c9\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":\"}}]}")
                .delta("{\"tool_calls\":[{\"id\":\"c9\",\"function\":{\"arguments\":\"\\\"x\\\"}\"}}]}")
                .delta("{\"tool_calls\":[{\"id\":\"c10\",\"type\":\"function\",\"function\":{\"name\":\"whole\",\"arguments\":\"{}\"}}]}")
                .done()
                .build();

        RecordingListener listener = run(MockResponse.sse(body));

        assertCleanCompletion(listener);
        assertEquals(List.of(
                new Chunk.ToolCall("c9", "lookup", "{\"q\":\"x\"}"),
                new Chunk.ToolCall("c10", "whole", "{}")), listener.deltas());
    }

    @Test
    void stream_wholeCallsAllAtIndexZeroWithDistinctIds_twoCalls() throws InterruptedException {
        String body = OpenAiStream.create("m")
                .delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"n\\\":1}\"}}]}")
                .delta("{\"tool_calls\":[{\"index\":0,\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"n\\\":2}\"}}]}")
                .finish("tool_calls")
                .done()
                .build();

        RecordingListener listener = run(MockResponse.sse(body));

        assertCleanCompletion(listener);
        assertEquals(List.of(
                new Chunk.ToolCall("a", "f", "{\"n\":1}"),
                new Chunk.ToolCall("b", "g", "{\"n\":2}"),
                new Chunk.Finish("tool_calls")), listener.deltas());
    }

    @Test
    void stream_usageChunkWithNullChoicesAndNoDone_completesAfterFinish() throws InterruptedException {
        String body = OpenAiStream.create("m").content("ok").finish("length").usageWithNullChoices(5, 7, 0).build();

        RecordingListener listener = run(MockResponse.sse(body).closeDelimited());

        assertCleanCompletion(listener);
        assertEquals(List.of(Delta.content("ok"), new Chunk.Finish("length"),
                new Chunk.Usage(5, 7, OptionalLong.of(0))), listener.deltas());
    }

    @Test
    void stream_usageChunkWithoutChoicesOrDetails_usageWithoutReasoningCount() throws InterruptedException {
        String body = OpenAiStream.create("m").content("ok").finish("stop")
                .data("{\"id\":\"x\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}")
                .done().build();

        RecordingListener listener = run(MockResponse.sse(body));

        assertCleanCompletion(listener);
        assertEquals(new Chunk.Usage(3, 4, OptionalLong.empty()), listener.deltas().get(2));
    }

    @Test
    void stream_secondEndpointAfterFirst_reusesMockInOrder() throws InterruptedException {
        RecordingListener first = run(MockResponse.sse(OpenAiStream.create("m").content("one").finish("stop").done().build()));
        RecordingListener second = run(MockResponse.sse(OpenAiStream.create("m").content("two").finish("stop").done().build()));

        assertEquals("one", first.contentText());
        assertEquals("two", second.contentText());
        assertEquals(2, harness.upstream().requestCount());
    }
}
