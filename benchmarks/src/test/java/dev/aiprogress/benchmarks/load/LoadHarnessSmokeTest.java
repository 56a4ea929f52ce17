package dev.aiprogress.benchmarks.load;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load harness's mechanics, with tiny knobs: every stamped chunk reaches every reader in order
 * (direct, SSE reply, plain and Socket.IO sockets, fixed batching, in the OpenAI and the Anthropic
 * dialect) and the side-by-side table is printed. Never a
 * timing: pass/fail columns are the harness's output, not this test's verdict.
 */
class LoadHarnessSmokeTest {

    @Test
    void smokeModeDeliversEveryFrameInOrderAndPrintsTheTable() throws Exception {
        HarnessOptions o = HarnessOptions.parse("--smoke", "--streams", "4", "--latency-streams", "2",
                "--chunks", "6", "--pacing-ms", "5", "--duration", "0.5", "--warmup", "0.3", "--scale", "2", "--slow-pct", "25",
                "--windows", "2");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = new LoadHarness(o, out).run();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        assertTrue(printed.contains("# harness OK"), printed);
        assertFalse(printed.contains("HARNESS ERRORS"), printed);
        for (String metric : new String[] {"| metric", "T1 TTFT", "T2 TTFT", "T3 per chunk", "T4 per chunk", "T6 streams",
                "T7 delta frames/s", "CPU us/chunk", "T14 bytes allocated/chunk", "fixed 50/100 vs adaptive",
                "T2 TTFT at the socket, 1 stream, p50 (Socket.IO)", "T3 per chunk, 1 stream, p50 (Socket.IO)",
                "T4 per chunk, Socket.IO", "dialect=openai client=both",
                "T13 others' per chunk p99", "T13 stuck sockets: server's TCP close", "T13 heap growth", "2 windows)"}) {
            assertTrue(printed.contains(metric), metric + " missing:\n" + printed);
        }
    }

    /** Anthropic events from the mock, through the plugin's anthropic dialect, to both socket kinds at one socket per user. */
    @Test
    void anthropicDialectReachesBothSocketKindsInOrder() throws Exception {
        HarnessOptions o = HarnessOptions.parse("--smoke", "--dialect", "anthropic", "--streams", "4",
                "--latency-streams", "2", "--chunks", "6", "--pacing-ms", "5", "--duration", "0.5", "--warmup", "0",
                "--sockets-per-user", "1", "--slow-pct", "0", "--no-batching-compare");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = new LoadHarness(o, out).run();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        assertTrue(printed.contains("# harness OK"), printed);
        assertTrue(printed.contains("dialect=anthropic"), printed);
        assertFalse(printed.contains("no data"), "a client kind received nothing:\n" + printed);
    }

    @Test
    void streamReceiverFlagsAGapAndAnUnfinishedStream() {
        StreamReceiver r = new StreamReceiver(0, 3, null, null, new Object());
        r.onDelta("#1@5;aa#2@", 10);
        r.onDelta("6;aaa", 11);   // a stamp cut across deltas is carried over
        r.onDelta("#4@7;", 12);   // 3 is missing
        r.onEnd();
        assertFalse(r.ok());
        assertTrue(r.error.contains("chunk 4 after 2"), r.error);

        StreamReceiver fine = new StreamReceiver(0, 2, null, null, new Object());
        fine.onDelta("#1@5;a#2@6;a", 10);
        fine.onEnd();
        assertTrue(fine.ok());
    }
}
