package dev.aiprogress.provider.ollama;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.FrameFeed;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.ProviderFailure;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OllamaFrameParserTest {

    private static FrameFeed feed() {
        ChatRequest request = ChatRequest.of("qwen3", List.of(ChatMessage.of(ChatMessage.Role.USER, "hi")));
        return new FrameFeed(new OllamaDialect().newParser(request, FrameFeed.JSON));
    }

    /** docs/PROVIDERS.md, "Ollama". */
    private static final String SAMPLE = """
            {"model":"qwen3","created_at":"2025-12-08T06:23:02.518Z","message":{"role":"assistant","content":"","thinking":"Okay"},"done":false}
            {"model":"qwen3","created_at":"…","message":{"role":"assistant","content":"HTTP/2 is"},"done":false}
            {"model":"qwen3","created_at":"…","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":false}
            {"model":"qwen3","created_at":"…","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":4353619900,"load_duration":63915300,"prompt_eval_count":10,"prompt_eval_duration":246847000,"eval_count":17,"eval_duration":4032296000}
            """;

    @Test
    void onFrame_providersSample_givesExactDeltasAndEndsAtDone() {
        FrameFeed f = feed().ndjson(SAMPLE);

        assertNull(f.failure());
        assertEquals(List.of(
                Delta.reasoning("Okay"),
                Delta.content("HTTP/2 is"),
                new Chunk.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new Chunk.Usage(10, 17, OptionalLong.empty()),
                new Chunk.Finish("stop")), f.deltas);
        assertEquals(List.of(FrameParser.Result.CONTINUE, FrameParser.Result.CONTINUE, FrameParser.Result.CONTINUE,
                FrameParser.Result.END), f.results);
    }

    @Test
    void onFrame_errorLineAfterContent_failsUpstreamErrorKeepingContent() {
        FrameFeed f = feed().ndjson("""
                {"model":"qwen3","message":{"role":"assistant","content":"Hel"},"done":false}
                {"error":"an error was encountered while running the model"}
                """);

        assertEquals(List.of(Delta.content("Hel")), f.deltas);
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.UPSTREAM_ERROR,
                "ollama: an error was encountered while running the model"), f.failure());
    }

    @Test
    void onFrame_errorOnADoneLine_isCheckedFirst() {
        FrameFeed f = feed().ndjson("""
                {"message":{"role":"assistant","content":"x"},"done":true,"error":"model crashed"}
                """);

        assertEquals(List.of(), f.deltas);
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.UPSTREAM_ERROR, "ollama: model crashed"), f.failure());
    }

    @Test
    void onFrame_thinkingAndContentOnOneLine_reasoningFirst() {
        FrameFeed f = feed().ndjson("""
                {"message":{"role":"assistant","content":"Ans","thinking":"end."},"done":false}
                {"message":{"role":"assistant","content":""},"done":true,"done_reason":"length","prompt_eval_count":3,"eval_count":5}
                """);

        assertEquals(List.of(Delta.reasoning("end."), Delta.content("Ans"), new Chunk.Usage(3, 5, OptionalLong.empty()),
                new Chunk.Finish("length")), f.deltas);
    }

    @Test
    void onFrame_toolCallsWithIdsStringAndMissingArguments_numberedIdsAndObjects() {
        FrameFeed f = feed().ndjson("""
                {"message":{"role":"assistant","content":"","tool_calls":[{"id":"t-9","function":{"name":"add","arguments":{"a":1}}},{"function":{"name":"now"}},{"function":{"name":"echo","arguments":"{\\"s\\":\\"x\\"}"}}]},"done":false}
                """);

        assertEquals(List.of(new Chunk.ToolCall("t-9", "add", "{\"a\":1}"), new Chunk.ToolCall("call_2", "now", "{}"),
                new Chunk.ToolCall("call_3", "echo", "{\"s\":\"x\"}")), f.deltas);
    }

    @Test
    void onFrame_toolArgumentsNotAnObject_failsMalformed() {
        FrameFeed f = feed().ndjson("""
                {"message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"add","arguments":"{broken"}}]},"done":false}
                """);
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.MALFORMED, "ollama tool call add: arguments are not a JSON object"), f.failure());
    }

    @Test
    void onFrame_doneWithoutReasonOrCounts_finishStopAndZeroUsage() {
        FrameFeed f = feed().ndjson("""
                {"message":{"role":"assistant","content":"ok"},"done":true}
                """);
        assertEquals(List.of(Delta.content("ok"), new Chunk.Usage(0, 0, OptionalLong.empty()), new Chunk.Finish("stop")), f.deltas);
        assertEquals(FrameParser.Result.END, f.lastResult());
    }

    @Test
    void onEndOfBody_beforeDone_failsTruncated() {
        FrameFeed f = feed().ndjson("""
                {"message":{"role":"assistant","content":"Hel"},"done":false}
                """).endOfBody();
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.TRUNCATED, "ollama stream ended before done:true"), f.failure());
    }

    @Test
    void onFrame_lineNotJson_failsMalformed() {
        FrameFeed f = feed().frame(null, "<html>");
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.MALFORMED, "ollama sent a frame that is not a JSON object"), f.failure());
    }

    /** Shapes the streaming fast path hands to the object-model path; the result must not change. */
    @Test
    void onFrame_linesOffTheFastPath_readAsBefore() {
        FrameFeed feed = feed().ndjson("""
                {"message":{"role":"assistant","content":"a","images":null},"done":"no"}
                {"message":{"content":"x"},"message":{"content":"b"},"done":false}
                {"message":{"content":"c"},"error":null,"done":false,"context":[1,2]}
                {"message":"not an object","done":false}
                """);
        assertNull(feed.failure());
        assertEquals(List.of(Delta.content("a"), Delta.content("b"), Delta.content("c")), feed.deltas);
    }

    @Test
    void onFrame_errorAfterMessage_failsWithoutEmitting() {
        FrameFeed feed = feed().ndjson("{\"message\":{\"content\":\"a\"},\"error\":\"model crashed\"}");
        assertEquals(ProviderFailure.Kind.UPSTREAM_ERROR, feed.failure().kind());
        assertEquals(List.of(), feed.deltas);
    }
}
