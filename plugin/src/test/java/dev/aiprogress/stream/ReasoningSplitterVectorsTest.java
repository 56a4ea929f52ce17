package dev.aiprogress.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReasoningSplitterVectorsTest {

    static Stream<SplitterVector> specVectors() {
        return SplitterVectors.spec().stream();
    }

    static Stream<SplitterVector> ownVectors() {
        return SplitterVectors.own().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specVectors")
    void accept_specVector_givesExactOutput(SplitterVector vector) {
        assertVector(vector);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownVectors")
    void accept_ownVector_givesExactOutput(SplitterVector vector) {
        assertVector(vector);
    }

    private static void assertVector(SplitterVector vector) {
        SplitterRun run = SplitterRun.of(vector.rules(), vector.deltas());

        assertEquals(vector.reasoning(), run.reasoning(), "reasoning");
        assertEquals(vector.text(), run.text(), "text");
        assertEquals(vector.reasoningBlocks(), run.reasoningBlocks(), "reasoning blocks");
        assertEquals(vector.unclosed(), run.reasoningUnclosed(), "reasoningUnclosed");
        assertEquals("", run.badChunk());
        if (!vector.sequence().isEmpty()) {
            assertEquals(vector.sequence(), run.merged(), "merged chunk sequence");
        }
    }
}
