package dev.aiprogress.provider.openai;

import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.FrameParser.StreamFailure;
import dev.aiprogress.provider.ProviderFailure.Kind;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;

import jakarta.json.spi.JsonProvider;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Field rules of docs/PROVIDERS.md ("OpenAI Chat Completions" and the two sections after it), frame by frame. */
class OpenAiFrameParserTest {

    private final OpenAiFrameParser parser = new OpenAiFrameParser(JsonProvider.provider());
    private final List<Delta> out = new ArrayList<>();

    private FrameParser.Result frame(String deltaJson) throws StreamFailure {
        return parser.onFrame(null, "{\"choices\":[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":null}]}", out::add);
    }

    @Test
    void onFrame_reasoningAndReasoningContentTogether_countedOnceFromReasoningContent() throws StreamFailure {
        frame("{\"reasoning_content\":\"A\",\"reasoning\":\"A\",\"thinking\":\"A\"}");
        assertEquals(List.of(Delta.reasoning("A")), out);
    }

    @Test
    void onFrame_emptyReasoningContentThenReasoning_secondFieldWins() throws StreamFailure {
        frame("{\"reasoning_content\":\"\",\"reasoning\":\"B\"}");
        frame("{\"reasoning_content\":null,\"thinking\":\"C\"}");
        assertEquals(List.of(Delta.reasoning("B"), Delta.reasoning("C")), out);
    }

    @Test
    void onFrame_reasoningAndContentInOneDelta_reasoningFirst() throws StreamFailure {
        frame("{\"content\":\"answer\",\"reasoning\":\"thought\"}");
        assertEquals(List.of(Delta.reasoning("thought"), Delta.content("answer")), out);
    }

    @Test
    void onFrame_refusal_emittedAsContent() throws StreamFailure {
        frame("{\"refusal\":\"I can't help with that.\"}");
        assertEquals(List.of(Delta.content("I can't help with that.")), out);
    }

    @Test
    void onFrame_obfuscationAndRoleOnly_nothingEmitted() throws StreamFailure {
        parser.onFrame(null, "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}],\"obfuscation\":\"aZ3x\",\"usage\":null}", out::add);
        assertEquals(List.of(), out);
    }

    @Test
    void onFrame_otherChoiceIndex_ignored() throws StreamFailure {
        parser.onFrame(null, "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},"
                + "{\"index\":0,\"delta\":{\"content\":\"mine\"}}]}", out::add);
        assertEquals(List.of(Delta.content("mine")), out);
    }

    @Test
    void onFrame_reasoningDetailsFragments_oneProviderStateAtFinishNoExtraText() throws StreamFailure {
        frame("{\"reasoning\":\"Let \",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"Let \",\"index\":0,\"format\":\"f1\"}]}");
        frame("{\"reasoning\":\"me\",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"me\",\"index\":0,\"signature\":\"sig\"}]}");
        frame("{\"reasoning_details\":[{\"type\":\"reasoning.encrypted\",\"data\":\"xyz\",\"index\":1}]}");
        parser.onFrame(null, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", out::add);

        assertEquals(List.of(Delta.reasoning("Let "), Delta.reasoning("me"),
                new Delta.ProviderState("{\"reasoning_details\":["
                        + "{\"type\":\"reasoning.text\",\"text\":\"Let me\",\"index\":0,\"format\":\"f1\",\"signature\":\"sig\"},"
                        + "{\"type\":\"reasoning.encrypted\",\"data\":\"xyz\",\"index\":1}]}"),
                new Chunk.Finish("stop")), out);
    }

    @Test
    void onFrame_done_endWithPendingToolCalls() throws StreamFailure {
        frame("{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}");
        assertEquals(FrameParser.Result.END, parser.onFrame(null, "[DONE]", out::add));
        assertEquals(List.of(new Chunk.ToolCall("c", "f", "{}")), out);
    }

    @Test
    void onFrame_toolCallWithObjectArguments_serialised() throws StreamFailure {
        frame("{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]}");
        parser.onFrame(null, "[DONE]", out::add);
        assertEquals(List.of(new Chunk.ToolCall("c", "f", "{\"a\":1}")), out);
    }

    @Test
    void onFrame_errorNull_notAnError() throws StreamFailure {
        parser.onFrame(null, "{\"error\":null,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}", out::add);
        assertEquals(List.of(Delta.content("x")), out);
    }

    @Test
    void onFrame_errorObjectWithoutMessage_genericUpstreamError() {
        StreamFailure failure = assertThrows(StreamFailure.class,
                () -> parser.onFrame(null, "{\"error\":{\"code\":500}}", out::add));
        assertEquals(Kind.UPSTREAM_ERROR, failure.failure().kind());
        assertEquals("upstream reported an error in the stream", failure.failure().message());
    }

    @Test
    void onFrame_jsonArrayFrame_malformed() {
        StreamFailure failure = assertThrows(StreamFailure.class, () -> parser.onFrame(null, "[1,2]", out::add));
        assertEquals(Kind.MALFORMED, failure.failure().kind());
    }

    @Test
    void onEndOfBody_noFinish_truncated() throws StreamFailure {
        frame("{\"content\":\"x\"}");
        StreamFailure failure = assertThrows(StreamFailure.class, () -> parser.onEndOfBody(out::add));
        assertEquals(Kind.TRUNCATED, failure.failure().kind());
    }

    @Test
    void onFrame_toolCallWithoutName_malformed() throws StreamFailure {
        frame("{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"arguments\":\"{}\"}}]}");
        StreamFailure failure = assertThrows(StreamFailure.class, () -> parser.onFrame(null, "[DONE]", out::add));
        assertEquals(Kind.MALFORMED, failure.failure().kind());
        assertEquals("upstream sent a tool call without a function name", failure.failure().message());
    }

    /** Shapes the streaming fast path hands to the object-model path; the result must not change. */
    @Test
    void onFrame_shapesOffTheFastPath_readAsBefore() throws StreamFailure {
        parser.onFrame(null, "{\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\"a\"}}]}", out::add);
        parser.onFrame(null, "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"x\"}},{\"index\":0,\"delta\":{\"content\":\"b\"}}]}", out::add);
        parser.onFrame(null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"c\"},\"logprobs\":{\"content\":[]}}],\"timings\":{\"n\":1}}", out::add);
        parser.onFrame(null, "{\"choices\":null,\"usage\":null}", out::add);
        parser.onFrame(null, "{\"choices\":[{\"delta\":{\"content\":\"d\"},\"finish_reason\":\"stop\"}],\"error\":null}", out::add);
        assertEquals(List.of(Delta.content("a"), Delta.content("b"), Delta.content("c"), Delta.content("d"),
                new Chunk.Finish("stop")), out);
    }

    @Test
    void onFrame_truthyErrorAfterChoices_failsBeforeAnyDelta() {
        StreamFailure failure = assertThrows(StreamFailure.class, () -> parser.onFrame(null,
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"error\":\"boom\"}", out::add));
        assertEquals(Kind.UPSTREAM_ERROR, failure.failure().kind());
        assertEquals(List.of(), out);
    }
}
