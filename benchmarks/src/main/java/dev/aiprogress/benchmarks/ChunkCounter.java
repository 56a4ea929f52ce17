package dev.aiprogress.benchmarks;

import dev.aiprogress.stream.Chunk;
import org.openjdk.jmh.infra.Blackhole;

import java.util.function.Consumer;

/**
 * The end of the benchmarked pipeline: hands every chunk to the {@link Blackhole} (so the JIT
 * cannot drop the work) and counts what came out, which the smoke test compares with the recording.
 */
public final class ChunkCounter implements Consumer<Chunk> {

    private Blackhole blackhole;
    public long chunks;
    public long reasoningChars;
    public long textChars;

    /** Starts a new run into {@code sink}. */
    ChunkCounter reset(Blackhole sink) {
        blackhole = sink;
        chunks = 0;
        reasoningChars = 0;
        textChars = 0;
        return this;
    }

    @Override
    public void accept(Chunk chunk) {
        chunks++;
        // instanceof chain, not a pattern switch: Java 17.
        if (chunk instanceof Chunk.Reasoning) {
            reasoningChars += ((Chunk.Reasoning) chunk).text().length();
        } else if (chunk instanceof Chunk.Text) {
            textChars += ((Chunk.Text) chunk).text().length();
        }
        blackhole.consume(chunk);
    }
}
