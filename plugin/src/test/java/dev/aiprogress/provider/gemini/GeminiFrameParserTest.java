package dev.aiprogress.provider.gemini;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.FrameFeed;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiFrameParserTest {

    private static FrameFeed feed() {
        ChatRequest request = ChatRequest.of("gemini-2.5-flash", List.of(ChatMessage.of(ChatMessage.Role.USER, "hi")));
        return new FrameFeed(new GeminiDialect().newParser(request, FrameFeed.JSON));
    }

    /** docs/PROVIDERS.md, "Gemini". */
    private static final String SAMPLE = """
            data: {"candidates":[{"content":{"parts":[{"text":"**Planning the answer**\\n…","thought":true}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":0,"totalTokenCount":190,"thoughtsTokenCount":185},"modelVersion":"gemini-2.5-flash","responseId":"r1"}
            data: {"candidates":[{"content":{"parts":[{"text":"Hello!"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":192,"thoughtsTokenCount":185}}
            data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"CiQB…"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":44,"totalTokenCount":235,"thoughtsTokenCount":186}}
            """;

    @Test
    void onFrame_providersSample_givesExactDeltasAndCompletesAtEndOfBody() {
        FrameFeed f = feed().sse(SAMPLE).endOfBody();

        assertNull(f.failure());
        assertEquals(List.of(
                Delta.reasoning("**Planning the answer**\n…"),
                new Chunk.Usage(5, 185, OptionalLong.of(185)),
                Delta.content("Hello!"),
                new Chunk.Usage(5, 187, OptionalLong.of(185)),
                new Chunk.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new Chunk.Finish("STOP"),
                new Chunk.Usage(5, 230, OptionalLong.of(186)),
                new Delta.ProviderState("{\"thoughtSignatures\":[{\"signature\":\"CiQB…\",\"functionCall\":\"get_weather\"}]}")),
                f.deltas);
        assertTrue(f.results.stream().allMatch(r -> r == dev.aiprogress.provider.FrameParser.Result.CONTINUE));
    }

    @Test
    void onFrame_splitterVectorN5_thoughtThenSignatureOnlyThenAnswerWithoutEmptyChunk() {
        FrameFeed f = feed().sse("""
                data: {"candidates":[{"content":{"parts":[{"text":"plan","thought":true},{"text":"","thoughtSignature":"s"},{"text":"ans"}],"role":"model"},"finishReason":"STOP","index":0}]}
                """).endOfBody();

        assertEquals(List.of(Delta.reasoning("plan"), Delta.content("ans"), new Chunk.Finish("STOP"),
                new Delta.ProviderState("{\"thoughtSignatures\":[{\"signature\":\"s\"}]}")), f.deltas);
    }

    @Test
    void onFrame_splitterVectorN6_cumulativeUsageLastWinsAndMissingUsageDoesNotReset() {
        FrameFeed f = feed().sse("""
                data: {"candidates":[{"content":{"parts":[{"text":"a"}],"role":"model"}}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":1,"totalTokenCount":10}}
                data: {"candidates":[{"content":{"parts":[{"text":"b"}],"role":"model"}}]}
                data: {"candidates":[{"content":{"parts":[{"text":"c"}],"role":"model"}}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":3,"totalTokenCount":12}}
                data: {"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":3,"totalTokenCount":12}}
                """).endOfBody();

        List<Chunk.Usage> usages = f.deltas.stream().filter(d -> d instanceof Chunk.Usage).map(d -> (Chunk.Usage) d).toList();
        assertEquals(List.of(new Chunk.Usage(9, 1, OptionalLong.of(0)), new Chunk.Usage(9, 3, OptionalLong.of(0))), usages);
        assertEquals(List.of(Delta.content("a"), usages.get(0), Delta.content("b"), Delta.content("c"), usages.get(1),
                new Chunk.Finish("STOP")), f.deltas);
        assertNull(f.failure());
    }

    @Test
    void onFrame_finishReasonOnEveryChunk_finishEmittedOnceAndStreamContinues() {
        FrameFeed f = feed().sse("""
                data: {"candidates":[{"content":{"parts":[{"text":"a"}],"role":"model"},"finishReason":"STOP"}]}
                data: {"candidates":[{"content":{"parts":[{"text":"b"}],"role":"model"},"finishReason":"STOP"}]}
                """).endOfBody();

        assertEquals(List.of(Delta.content("a"), new Chunk.Finish("STOP"), Delta.content("b")), f.deltas);
        assertNull(f.failure());
    }

    @Test
    void onEndOfBody_withoutFinishReason_failsTruncated() {
        FrameFeed f = feed().sse("""
                data: {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"}}]}
                """).endOfBody();

        assertEquals(List.of(Delta.content("Hel")), f.deltas);
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.TRUNCATED, "gemini stream ended without a finishReason"), f.failure());
    }

    @Test
    void onFrame_blockedPrompt_failsUpstreamErrorWithReason() {
        FrameFeed f = feed().frame(null, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":8}}");
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.UPSTREAM_ERROR, "prompt blocked: SAFETY"), f.failure());
    }

    @Test
    void onFrame_errorObjectAfterText_failsUpstreamErrorKeepingText() {
        FrameFeed f = feed().sse("""
                data: {"candidates":[{"content":{"parts":[{"text":"Par"}],"role":"model"}}]}
                data: {"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}
                """);

        assertEquals(List.of(Delta.content("Par")), f.deltas);
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.UPSTREAM_ERROR, "gemini: INTERNAL: Internal error encountered."), f.failure());
    }

    @Test
    void onFrame_functionCallsWithAndWithoutIdOrArgs_numberedIdsAndEmptyObject() {
        FrameFeed f = feed().sse("""
                data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"now"}},{"functionCall":{"id":"fc-7","name":"add","args":{"a":1,"b":[2,3]}}},{"functionCall":{"name":"now","args":{}}}],"role":"model"},"finishReason":"STOP"}]}
                """).endOfBody();

        assertEquals(List.of(new Chunk.ToolCall("call_1", "now", "{}"), new Chunk.ToolCall("fc-7", "add", "{\"a\":1,\"b\":[2,3]}"),
                new Chunk.ToolCall("call_3", "now", "{}"), new Chunk.Finish("STOP")), f.deltas);
    }

    @Test
    void onFrame_notJson_failsMalformed() {
        FrameFeed f = feed().frame(null, "[1,2]");
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.MALFORMED, "gemini sent a frame that is not a JSON object"), f.failure());
    }

    /** The streaming fast path and the shapes it hands to the object-model path; results must not change. */
    @Test
    void onFrame_fastPathAndItsFallbacks_sameDeltasAsTheObjectModel() {
        FrameFeed feed = feed().sse("""
                data: {"candidates":[{"content":{"parts":[{"text":"a","thought":true},{"text":"b"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":1,"promptTokensDetails":[{"modality":"TEXT","tokenCount":5}],"cacheTokensDetails":{"x":[1]},"thoughtsTokenCount":2}}
                data: {"candidates":[{"content":{"parts":[{"text":"c","thoughtSignature":"sig"}],"role":"model"},"safetyRatings":[],"index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":1,"thoughtsTokenCount":2}}
                data: {"candidates":[{"content":{"parts":[{"text":"d"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2.0,"thoughtsTokenCount":2}}
                data: {"candidates":[],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3,"thoughtsTokenCount":2}}
                """).endOfBody();
        assertNull(feed.failure());
        assertEquals(List.of(
                Delta.reasoning("a"), Delta.content("b"), new Chunk.Usage(5, 3, OptionalLong.of(2)),
                Delta.content("c"),
                Delta.content("d"), new Chunk.Finish("STOP"), new Chunk.Usage(5, 4, OptionalLong.of(2)),
                new Chunk.Usage(5, 5, OptionalLong.of(2)),
                new dev.aiprogress.stream.Delta.ProviderState("{\"thoughtSignatures\":[{\"signature\":\"sig\"}]}")), feed.deltas);
    }
}
