package dev.aiprogress.benchmarks;

import dev.aiprogress.benchmarks.RecordedStreams.Kind;
import dev.aiprogress.benchmarks.RecordedStreams.Recording;
import dev.aiprogress.stream.Chunk;

import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs each benchmark's setup and one invocation of each {@code @Benchmark} method outside JMH and
 * checks the output is what the input encodes, so {@code mvn verify} proves the benchmarks measure
 * working code without running JMH. No timings are asserted.
 */
class BenchmarksSmokeTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void decode_recordedStream_emitsTheRecordedReasoningAndAnswer(Kind kind) throws Exception {
        StreamDecodeBenchmark bench = new StreamDecodeBenchmark();
        bench.stream = kind;
        bench.setUp();
        StreamDecodeBenchmark.Wire wire = new StreamDecodeBenchmark.Wire();

        long chunks = bench.decode(wire, SmokeBlackhole.INSTANCE);

        Recording recording = bench.recording;
        assertTrue(recording.body().length > 900_000, "about 1 MB of wire input");
        assertTrue(chunks >= recording.deltas() / 2, "chunks: " + chunks);
        assertEquals(recording.body().length / 1e6, wire.mbWire, 1e-9);
        // The counters only see lengths; the exact text is checked through the same pipeline.
        StringBuilder reasoning = new StringBuilder();
        StringBuilder text = new StringBuilder();
        new DecodePipeline(recording.dialect(), recording.rules(), JsonProvider.provider())
                .run(DecodePipeline.reads(recording.body(), recording.readEnds()), chunk -> collect(chunk, reasoning, text));
        assertEquals(recording.reasoning(), reasoning.toString());
        assertEquals(recording.answer(), text.toString());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void record_sameKind_isDeterministicAndHasMultiByteTextAndKeepAlives(Kind kind) {
        Recording a = RecordedStreams.record(kind);
        Recording b = RecordedStreams.record(kind);
        assertArrayEquals(a.body(), b.body());
        assertArrayEquals(a.readEnds(), b.readEnds());
        String body = new String(a.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("🙂") && body.contains("日本語"), "multi-byte characters");
        if (kind != Kind.OLLAMA && kind != Kind.GEMINI) { // neither sends keep-alives
            assertTrue(body.contains("\n: ") || body.contains("event: ping"), "keep-alives");
        }
        int previous = 0;
        for (int end : a.readEnds()) {
            assertTrue(end - previous >= 1 || end == a.body().length);
            assertTrue(end - previous <= 4096, "reads of at most 4 KiB");
            previous = end;
        }
        assertEquals(a.body().length, previous);
    }

    @ParameterizedTest
    @EnumSource(SplitterBenchmark.Case.class)
    void split_eachCase_emitsTheExpectedReasoningAndText(SplitterBenchmark.Case input) {
        SplitterBenchmark bench = new SplitterBenchmark();
        bench.input = input;
        bench.setUp();
        SplitterBenchmark.Text text = new SplitterBenchmark.Text();

        long chunks = bench.split(text, SmokeBlackhole.INSTANCE);

        assertTrue(chunks > 0);
        assertTrue(text.mbText > 0.3);
        StringBuilder reasoning = new StringBuilder();
        StringBuilder answer = new StringBuilder();
        dev.aiprogress.stream.ReasoningSplitter splitter =
                new dev.aiprogress.stream.ReasoningSplitter(bench.rules, chunk -> collect(chunk, reasoning, answer));
        for (dev.aiprogress.stream.Delta delta : bench.deltas) {
            splitter.accept(delta);
        }
        splitter.finish();
        assertEquals(bench.expectedReasoning, reasoning.toString());
        assertEquals(bench.expectedText, answer.toString());
    }

    @Test
    void reads_rewound_decodeAgainToTheSameOutput() throws Exception {
        StreamDecodeBenchmark bench = new StreamDecodeBenchmark();
        bench.stream = Kind.GEMINI;
        bench.setUp();
        long first = bench.decode(new StreamDecodeBenchmark.Wire(), SmokeBlackhole.INSTANCE);
        long second = bench.decode(new StreamDecodeBenchmark.Wire(), SmokeBlackhole.INSTANCE);
        assertEquals(first, second);
    }

    private static void collect(Chunk chunk, StringBuilder reasoning, StringBuilder text) {
        if (chunk instanceof Chunk.Reasoning) {
            reasoning.append(((Chunk.Reasoning) chunk).text());
        } else if (chunk instanceof Chunk.Text) {
            text.append(((Chunk.Text) chunk).text());
        }
    }
}
