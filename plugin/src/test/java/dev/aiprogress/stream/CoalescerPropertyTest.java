package dev.aiprogress.stream;

import dev.aiprogress.testsupport.ManualScheduler;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Whatever the options and timing, the coalescer loses, adds and reorders nothing. */
class CoalescerPropertyTest {

    /** One step of a run: a chunk arrives, or the clock moves. */
    private sealed interface Step permits Arrive, Advance {
    }

    private record Arrive(Chunk chunk) implements Step {
    }

    private record Advance(long millis) implements Step {
    }

    @Property
    void accept_anyChunksAndClockMoves_preservesTextPerTypeRunAndOrder(
            @ForAll("options") Coalescer.Options options, @ForAll("steps") List<Step> steps) {
        ManualScheduler scheduler = new ManualScheduler();
        List<Chunk> out = new ArrayList<>();
        Coalescer coalescer = new Coalescer(options, scheduler, out::add);
        List<Chunk> in = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Arrive arrive) {
                in.add(arrive.chunk());
                coalescer.accept(arrive.chunk());
            } else if (step instanceof Advance advance) {
                scheduler.advanceMillis(advance.millis());
            }
        }
        coalescer.flush();
        coalescer.close();

        assertEquals(runs(in), runs(out));
        assertEquals(0, scheduler.pendingCount());
        if (!options.adaptive()) {
            assertNoSplitSurrogatePair(out);
        }
    }

    @Property
    void accept_intervalOnlySingleTypeStream_emitsAtMostOncePerInterval(
            @ForAll("textOnlySteps") List<Step> steps) {
        ManualScheduler scheduler = new ManualScheduler();
        List<Long> emittedAt = new ArrayList<>();
        StringBuilder emitted = new StringBuilder();
        Coalescer coalescer = new Coalescer(new Coalescer.Options(0, 100), scheduler, chunk -> {
            emittedAt.add(scheduler.nanoTime());
            emitted.append(((Chunk.Text) chunk).text());
        });
        StringBuilder sent = new StringBuilder();
        for (Step step : steps) {
            if (step instanceof Arrive arrive) {
                sent.append(((Chunk.Text) arrive.chunk()).text());
                coalescer.accept(arrive.chunk());
            } else if (step instanceof Advance advance) {
                scheduler.advanceMillis(advance.millis());
            }
        }
        for (int i = 1; i < emittedAt.size(); i++) {
            long gap = emittedAt.get(i) - emittedAt.get(i - 1);
            assertFalse(gap < 100_000_000L, "emissions " + (i - 1) + " and " + i + " only " + gap + " ns apart");
        }
        coalescer.flush();
        assertEquals(sent.toString(), emitted.toString());
    }

    @Provide
    Arbitrary<List<Step>> textOnlySteps() {
        Arbitrary<Step> arrive = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
                .map(t -> new Arrive(new Chunk.Text(t)));
        Arbitrary<Step> advance = Arbitraries.longs().between(0, 250).map(Advance::new);
        return Arbitraries.frequencyOf(Tuple.of(2, arrive), Tuple.of(1, advance)).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<Coalescer.Options> options() {
        return Combinators.combine(Arbitraries.of(0, 1, 5, 50), Arbitraries.of(0L, 1L, 100L))
                .as(Coalescer.Options::new);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                        Tuple.of(5, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(30)),
                        Tuple.of(1, Arbitraries.of("\uD83D", "\uDE00", "\uD83D\uDE00", "x\uD834", "\uDD1Ey", "")))
                .list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("", parts));
        Arbitrary<Step> arrive = Arbitraries.frequencyOf(
                Tuple.of(5, text.map(t -> new Arrive(new Chunk.Reasoning(t)))),
                Tuple.of(5, text.map(t -> new Arrive(new Chunk.Text(t)))),
                Tuple.of(1, Arbitraries.of(
                        new Arrive(new Chunk.ToolCall("c1", "lookup", "{}")),
                        new Arrive(new Chunk.Usage(1, 2, OptionalLong.empty())),
                        new Arrive(new Chunk.Finish("stop"))))).map(s -> s);
        Arbitrary<Step> advance = Arbitraries.longs().between(0, 250).map(Advance::new);
        return Arbitraries.frequencyOf(Tuple.of(3, arrive), Tuple.of(1, advance)).list().ofMaxSize(40);
    }

    /**
     * The stream as runs: adjacent reasoning (or text) chunks joined into one, empty ones dropped,
     * other chunks kept in place. Equal runs mean nothing was lost, added or reordered.
     */
    private static List<Object> runs(List<Chunk> chunks) {
        List<Object> runs = new ArrayList<>();
        for (Chunk chunk : chunks) {
            String kind = chunk instanceof Chunk.Reasoning ? "reasoning" : chunk instanceof Chunk.Text ? "text" : null;
            if (kind == null) {
                runs.add(chunk);
                continue;
            }
            String text = chunk instanceof Chunk.Reasoning r ? r.text() : ((Chunk.Text) chunk).text();
            if (text.isEmpty()) {
                continue;
            }
            int last = runs.size() - 1;
            if (last >= 0 && runs.get(last) instanceof TextRun run && run.kind().equals(kind)) {
                runs.set(last, new TextRun(kind, run.text() + text));
            } else {
                runs.add(new TextRun(kind, text));
            }
        }
        return runs;
    }

    private record TextRun(String kind, String text) {
    }

    private static void assertNoSplitSurrogatePair(List<Chunk> out) {
        for (int i = 0; i + 1 < out.size(); i++) {
            String first = textOf(out.get(i));
            String second = textOf(out.get(i + 1));
            if (first == null || second == null || first.isEmpty() || second.isEmpty()
                    || out.get(i).getClass() != out.get(i + 1).getClass()) {
                continue;
            }
            assertFalse(Character.isHighSurrogate(first.charAt(first.length() - 1))
                            && Character.isLowSurrogate(second.charAt(0)),
                    "surrogate pair split between " + i + " and " + (i + 1));
        }
    }

    private static String textOf(Chunk chunk) {
        if (chunk instanceof Chunk.Reasoning r) {
            return r.text();
        }
        if (chunk instanceof Chunk.Text t) {
            return t.text();
        }
        return null;
    }
}
