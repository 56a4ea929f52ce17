package dev.aiprogress.benchmarks;

import dev.aiprogress.benchmarks.RecordedStreams.Kind;
import dev.aiprogress.benchmarks.RecordedStreams.Recording;
import dev.aiprogress.provider.FrameParser.StreamFailure;

import jakarta.json.spi.JsonProvider;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * docs/PERFORMANCE.md T10: SSE/NDJSON decode + dialect adapter + splitter throughput on one core, over a
 * recorded ~1 MB body per upstream shape ({@link RecordedStreams}) cut into 1–4 KiB reads. One
 * operation is one whole body, from fresh per-stream state. Target ≥ 200 MB/s, stretch 500 MB/s.
 *
 * <p>Read the {@code mbWire} line: megabytes (10^6 bytes) of wire input per second. With
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per body; the setup prints how
 * many chunks a body gives, so bytes per chunk is that divided by {@code chunks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamDecodeBenchmark {

    @Param({"DEEPSEEK", "VLLM_THINK_TAGS", "ANTHROPIC", "GEMINI", "OLLAMA"})
    public Kind stream;

    Recording recording;
    private DecodePipeline pipeline;
    private ByteBuffer[] reads;
    private final ChunkCounter counter = new ChunkCounter();

    /** Wire megabytes decoded, reported per second next to the ops/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Wire {
        public double mbWire;
    }

    @Setup(Level.Trial)
    public void setUp() throws StreamFailure {
        recording = RecordedStreams.record(stream);
        pipeline = new DecodePipeline(recording.dialect(), recording.rules(), JsonProvider.provider());
        reads = DecodePipeline.reads(recording.body(), recording.readEnds());
        ChunkCounter check = decodeOnce(null);
        if (check.reasoningChars != recording.reasoning().length() || check.textChars != recording.answer().length()) {
            throw new IllegalStateException(stream + ": pipeline output does not match the recording: "
                    + check.reasoningChars + "/" + recording.reasoning().length() + " reasoning and "
                    + check.textChars + "/" + recording.answer().length() + " text chars");
        }
        System.out.printf("%n%s: %,d bytes, %,d reads, %,d deltas -> %,d chunks (%,d reasoning + %,d text chars)%n",
                stream, recording.body().length, reads.length, recording.deltas(), check.chunks,
                check.reasoningChars, check.textChars);
    }

    /** One body through the whole pipeline; returns the counter for checks outside JMH. */
    ChunkCounter decodeOnce(Blackhole blackhole) throws StreamFailure {
        DecodePipeline.rewind(reads);
        counter.reset(blackhole == null ? SmokeBlackhole.INSTANCE : blackhole);
        if (!pipeline.run(reads, counter)) {
            throw new IllegalStateException(stream + ": the recorded stream did not end properly");
        }
        return counter;
    }

    @Benchmark
    public long decode(Wire wire, Blackhole blackhole) throws StreamFailure {
        long chunks = decodeOnce(blackhole).chunks;
        wire.mbWire += recording.body().length / 1e6;
        return chunks;
    }

    /**
     * Reference, not T10: the same body through UTF-8 decoding and framing only, frames to the
     * Blackhole. What {@link #decode} costs beyond this is the adapter's JSON and the splitter.
     */
    @Benchmark
    public int framing(Wire wire, Blackhole blackhole) throws StreamFailure {
        DecodePipeline.rewind(reads);
        int frames = pipeline.frames(reads, (event, data) -> blackhole.consume(data));
        wire.mbWire += recording.body().length / 1e6;
        return frames;
    }
}
