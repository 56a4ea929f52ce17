package dev.aiprogress.provider.anthropic;

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

class AnthropicFrameParserTest {

    private static FrameFeed feed() {
        ChatRequest request = ChatRequest.of("claude-x", List.of(ChatMessage.of(ChatMessage.Role.USER, "hi")));
        return new FrameFeed(new AnthropicDialect().newParser(request, FrameFeed.JSON));
    }

    private static final String START = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-x","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}
            """;

    /** docs/PROVIDERS.md "Anthropic Messages" with every block closed and the tool arguments complete. */
    private static final String SAMPLE = START + """
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}
            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me check"}}
            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB…"}}
            event: content_block_stop
            data: {"type":"content_block_stop","index":0}
            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}
            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Paris"}}
            event: content_block_stop
            data: {"type":"content_block_stop","index":1}
            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}
            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Pa"}}
            event: ping
            data: {"type": "ping"}
            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"ris\\"}"}}
            event: content_block_stop
            data: {"type":"content_block_stop","index":2}
            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":91}}
            event: message_stop
            data: {"type":"message_stop"}
            """;

    @Test
    void onFrame_providersSample_givesExactDeltasStateAndEnd() {
        FrameFeed f = feed().sse(SAMPLE);

        assertNull(f.failure());
        assertEquals(List.of(
                Delta.reasoning("Let me check"),
                Delta.content("Paris"),
                new Chunk.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"),
                new Chunk.Finish("tool_use"),
                new Chunk.Usage(25, 91, OptionalLong.empty()),
                new Delta.ProviderState("[{\"type\":\"thinking\",\"thinking\":\"Let me check\",\"signature\":\"EqQB…\"}]")),
                f.deltas);
        assertEquals(FrameParser.Result.END, f.lastResult());
        assertEquals(f.results.size() - 1, f.results.indexOf(FrameParser.Result.END));
    }

    @Test
    void onFrame_splitterVectorN4_reasoningTextAndOneToolCallAtBlockStop() {
        FrameFeed f = feed().sse(START + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user "}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"wants the "}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"weather."}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig1"}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":0}
                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Checking "}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"now."}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":1}
                event: content_block_start
                data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_9","name":"get_weather","input":{}}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"ci"}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"ty\\": \\"Par"}}
                """);
        assertEquals(List.of(Delta.reasoning("The user "), Delta.reasoning("wants the "), Delta.reasoning("weather."),
                Delta.content("Checking "), Delta.content("now.")), f.deltas);

        f.sse("""
                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"is\\", \\"days\\": [1, 2]}"}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":2}
                """);
        assertEquals(new Chunk.ToolCall("toolu_9", "get_weather", "{\"city\":\"Paris\",\"days\":[1,2]}"), f.deltas.get(5));
        assertEquals(6, f.deltas.size());
        assertNull(f.failure());
    }

    @Test
    void onFrame_sampleAsPrintedWithBlocksLeftOpen_failsMalformedAtMessageStop() {
        FrameFeed f = feed().sse(START + """
                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Paris"}}
                event: content_block_start
                data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Pa"}}
                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":91}}
                event: message_stop
                data: {"type":"message_stop"}
                """);

        assertEquals(ProviderFailure.of(ProviderFailure.Kind.MALFORMED,
                "anthropic stream ended (message_stop) with content block 1 (text) still open"), f.failure());
        assertEquals(Delta.content("Paris"), f.deltas.get(0));
    }

    @Test
    void onFrame_toolArgumentsNotJson_failsMalformed() {
        FrameFeed f = feed().sse(START + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Pa"}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":0}
                """);

        assertEquals(ProviderFailure.of(ProviderFailure.Kind.MALFORMED,
                "anthropic tool call get_weather (toolu_1): arguments are not a valid JSON object"), f.failure());
    }

    @Test
    void onFrame_toolUseWithoutInputDeltas_givesEmptyObject() {
        FrameFeed f = feed().sse(START + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_2","name":"now","input":{}}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":0}
                """);

        assertEquals(List.of(new Chunk.ToolCall("toolu_2", "now", "{}")), f.deltas);
    }

    @Test
    void onFrame_errorEvent_failsUpstreamErrorWithTypeAndMessageKeepingEarlierText() {
        FrameFeed f = feed().sse(START + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Par"}}
                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}
                """);

        assertEquals(List.of(Delta.content("Par")), f.deltas);
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.UPSTREAM_ERROR, "anthropic: overloaded_error: Overloaded"), f.failure());
    }

    @Test
    void onFrame_unknownEventsBlocksAndDeltas_areIgnored() {
        FrameFeed f = feed().sse(START + """
                event: surprise
                data: {"type":"surprise","x":1}
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srv_1","name":"web_search","input":{}}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\":1}"}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":0}
                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"citations_delta","citation":{"cited_text":"x"}}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"ok"}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":1}
                event: ping
                data: {"type": "ping"}
                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}
                event: message_stop
                data: {"type":"message_stop"}
                """);

        assertNull(f.failure());
        assertEquals(List.of(Delta.content("ok"), new Chunk.Finish("end_turn"), new Chunk.Usage(25, 3, OptionalLong.empty())), f.deltas);
        assertEquals(FrameParser.Result.END, f.lastResult());
    }

    @Test
    void onFrame_cacheTokensAndSeveralMessageDeltas_inputIncludesCacheAndLastOutputWins() {
        FrameFeed f = feed().sse("""
                event: message_start
                data: {"type":"message_start","message":{"usage":{"input_tokens":7,"cache_creation_input_tokens":100,"cache_read_input_tokens":20,"output_tokens":1}}}
                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":null},"usage":{"output_tokens":10}}
                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":42}}
                event: message_stop
                data: {"type":"message_stop"}
                """);

        assertEquals(List.of(new Chunk.Usage(127, 10, OptionalLong.empty()), new Chunk.Finish("max_tokens"),
                new Chunk.Usage(127, 42, OptionalLong.empty())), f.deltas);
    }

    @Test
    void onFrame_redactedAndSignedThinking_keptInOrderAsOneProviderState() {
        FrameFeed f = feed().sse(START + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwKAhgB"}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":0}
                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"thinking","thinking":""}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"a"}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"b"}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"S1"}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":1}
                event: message_stop
                data: {"type":"message_stop"}
                """);

        assertEquals(List.of(Delta.reasoning("a"), Delta.reasoning("b"), new Delta.ProviderState(
                "[{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgB\"},{\"type\":\"thinking\",\"thinking\":\"ab\",\"signature\":\"S1\"}]")),
                f.deltas);
    }

    @Test
    void onFrame_textOnlyStream_emitsNoProviderState() {
        FrameFeed f = feed().sse(START + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":0}
                event: message_stop
                data: {"type":"message_stop"}
                """);

        assertEquals(List.of(), f.deltas);
        assertEquals(FrameParser.Result.END, f.lastResult());
    }

    @Test
    void onEndOfBody_beforeMessageStop_failsTruncated() {
        FrameFeed f = feed().sse(START).endOfBody();
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.TRUNCATED, "anthropic stream ended before message_stop"), f.failure());
    }

    @Test
    void onFrame_dataNotJson_failsMalformed() {
        FrameFeed f = feed().frame("content_block_delta", "{not json");
        assertEquals(ProviderFailure.of(ProviderFailure.Kind.MALFORMED, "anthropic sent a frame that is not a JSON object"), f.failure());
    }

    @Test
    void onFrame_unknownEventWithNonJsonData_isIgnored() {
        FrameFeed f = feed().frame("future_event", "not json at all").frame("ping", "");
        assertNull(f.failure());
        assertEquals(List.of(FrameParser.Result.CONTINUE, FrameParser.Result.CONTINUE), f.results);
    }

    @Test
    void onFrame_blockStartCarryingText_emitsItAtOnce() {
        FrameFeed f = feed().sse(START + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"Hm"}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":0}
                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":"Hi"}}
                event: content_block_stop
                data: {"type":"content_block_stop","index":1}
                """);
        assertEquals(List.of(Delta.reasoning("Hm"), Delta.content("Hi")), f.deltas);
    }

    @Test
    void onFrame_usageWithThinkingTokenDetails_reportsReasoningTokens() {
        FrameFeed f = feed().sse(START + """
                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":300,"output_tokens_details":{"thinking_tokens":250}}}
                """);
        assertEquals(List.of(new Chunk.Finish("end_turn"), new Chunk.Usage(25, 300, OptionalLong.of(250))), f.deltas);
    }

    @Test
    void onFrame_blockDeltaShapesOffTheFastPath_readAsBefore() {
        FrameFeed feed = feed().sse(START + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
                """)
                // a nested value inside the delta, a delta without type, the type only in the event name,
                // a non-string text, and an index written as 0.0: each read by the object-model path
                .frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\",\"citation\":{\"x\":1}}}")
                .frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"text\":\"ignored\"}}")
                .frame("content_block_delta", "{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"b\"}}")
                .frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":null}}")
                .frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0.0,\"delta\":{\"type\":\"text_delta\",\"text\":\"c\"}}")
                .frame("content_block_delta", " {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"d\"}} ");
        assertNull(feed.failure());
        assertEquals(List.of(Delta.content("a"), Delta.content("b"), Delta.content("c"), Delta.content("d")), feed.deltas);
    }

    @Test
    void onFrame_blockDeltaNotJson_malformedAsBefore() {
        FrameFeed feed = feed().sse(START).frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,");
        assertEquals(ProviderFailure.Kind.MALFORMED, feed.failure().kind());
    }
}
