package dev.aiprogress.benchmarks;

import dev.aiprogress.event.EventJson;
import dev.aiprogress.event.EventType;
import dev.aiprogress.event.EventWriter;
import dev.aiprogress.event.ProgressEvent;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * docs/PERFORMANCE.md T11: one delta event to JSON (+ UTF-8), JSON-B against the hand-written {@link EventWriter}.
 * Target ≤ 0.5 µs and ≤ 256 B garbage per event; run with {@code -prof gc} and read
 * {@code gc.alloc.rate.norm} (bytes/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventJsonBenchmark {

    /** A typical streamed piece: one token, or a few tokens with a newline and a non-ASCII char. */
    @Param({"token", "sentence"})
    public String text;

    private EventJson json;
    private ProgressEvent delta;
    private final StringBuilder reusedBuilder = new StringBuilder(256);

    @Setup(Level.Trial)
    public void setUp() {
        json = new EventJson();
        String deltaText = text.equals("token") ? " reasoning" : "The splitter holds a tag prefix – nothing more.\n";
        delta = ProgressEvent.delta(EventType.TEXT, "7f3a9c2e-task", 42, "2026-11-24T10:15:30.123Z", deltaText);
        if (!json.toJson(delta).equals(EventWriter.toJson(delta))) {
            throw new IllegalStateException("EventWriter and JSON-B disagree: " + EventWriter.toJson(delta));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        json.close();
    }

    @Benchmark
    public String jsonbToString() {
        return json.toJson(delta);
    }

    @Benchmark
    public byte[] jsonbToUtf8() {
        return json.toJson(delta).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public String writerToString() {
        return EventWriter.toJson(delta);
    }

    /** The T11 figure: event → JSON String → UTF-8 bytes. */
    @Benchmark
    public byte[] writerToUtf8() {
        return EventWriter.toJson(delta).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public int writerIntoReusedBuilder() {
        reusedBuilder.setLength(0);
        return EventWriter.appendJson(delta, reusedBuilder).length();
    }
}
