package dev.aiprogress.benchmarks;

import dev.aiprogress.stream.Delta;
import dev.aiprogress.stream.ReasoningSplitter;
import dev.aiprogress.stream.TagRules;

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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ReasoningSplitter} alone, for reference next to T10: token-sized {@link Delta.Content}
 * pieces (3–12 chars) of ~330k characters, already parsed, through one fresh splitter per op.
 * {@code mbText} is megabytes of the text's UTF-8 form per second.
 *
 * <ul>
 *   <li>{@code ANSWER}: plain answer, default rules (LEADING): after the start, no tag scan at all.</li>
 *   <li>{@code REASONING}: {@code startInReasoning} and no closer: every delta is scanned for a closer.</li>
 *   <li>{@code ANYWHERE}: ANYWHERE mode, answer text with a {@code <think>} block every ~2k chars,
 *       tags cut across deltas.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SplitterBenchmark {

    public enum Case { ANSWER, REASONING, ANYWHERE }

    @Param({"ANSWER", "REASONING", "ANYWHERE"})
    public Case input;

    TagRules rules;
    Delta[] deltas;
    /** What the splitter must emit. */
    String expectedReasoning;
    String expectedText;
    private double megabytes;
    private final ChunkCounter counter = new ChunkCounter();

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Text {
        public double mbText;
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(20261124L);
        int chars = 330_000;
        StringBuilder input = new StringBuilder(chars + 4096);
        StringBuilder reasoning = new StringBuilder();
        StringBuilder text = new StringBuilder();
        switch (this.input) {
            case ANSWER:
                rules = TagRules.DEFAULT;
                text.append(RecordedStreams.prose(random, chars));
                input.append(text);
                break;
            case REASONING:
                rules = new TagRules(TagRules.DEFAULT.tags(), TagRules.Mode.LEADING, true);
                reasoning.append(RecordedStreams.prose(random, chars));
                input.append(reasoning);
                break;
            case ANYWHERE:
                rules = new TagRules(TagRules.DEFAULT.tags(), TagRules.Mode.ANYWHERE, false);
                while (input.length() < chars) {
                    String answer = RecordedStreams.prose(random, 1200);
                    String thought = RecordedStreams.prose(random, 800);
                    text.append(answer);
                    reasoning.append(thought);
                    input.append(answer).append("<think>").append(thought).append("</think>");
                }
                break;
            default:
                throw new IllegalArgumentException(this.input.toString());
        }
        List<String> pieces = RecordedStreams.pieces(random, input.toString());
        List<Delta> list = new ArrayList<>(pieces.size());
        for (String piece : pieces) {
            list.add(Delta.content(piece));
        }
        deltas = list.toArray(new Delta[0]);
        expectedReasoning = reasoning.toString();
        expectedText = text.toString();
        megabytes = input.toString().getBytes(StandardCharsets.UTF_8).length / 1e6;
        ChunkCounter check = splitOnce(null);
        if (check.reasoningChars != expectedReasoning.length() || check.textChars != expectedText.length()) {
            throw new IllegalStateException(this.input + ": splitter output does not match the input");
        }
    }

    double megabytes() {
        return megabytes;
    }

    ChunkCounter splitOnce(Blackhole blackhole) {
        ReasoningSplitter splitter = new ReasoningSplitter(rules,
                counter.reset(blackhole == null ? SmokeBlackhole.INSTANCE : blackhole));
        for (Delta delta : deltas) {
            splitter.accept(delta);
        }
        splitter.finish();
        return counter;
    }

    @Benchmark
    public long split(Text text, Blackhole blackhole) {
        long chunks = splitOnce(blackhole).chunks;
        text.mbText += megabytes;
        return chunks;
    }
}
