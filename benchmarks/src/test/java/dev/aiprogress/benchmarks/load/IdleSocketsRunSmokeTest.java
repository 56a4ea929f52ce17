package dev.aiprogress.benchmarks.load;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * T8's mechanics with 200 sockets: the server JVM starts, every socket of every kind connects and
 * stays open, the rows are printed, and the server JVM is gone afterwards. Never a memory figure:
 * the pass/fail column is the run's output, not this test's verdict.
 */
class IdleSocketsRunSmokeTest {

    @Test
    void twoHundredIdleSocketsOfEachKindConnectAndTheServerJvmExits() throws Exception {
        IdleSocketsRun.Options o = IdleSocketsRun.Options.parse("--sockets", "200", "--sockets-per-user", "4",
                "--heap-mb", "256", "--warmup-plugin", "20");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        IdleSocketsRun.Result r;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            r = new IdleSocketsRun(o, out).run();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(r.errors.isEmpty(), r.errors + "\n" + printed);
        assertEquals(4, r.phases.size(), printed);
        for (IdleSocketsRun.Phase p : r.phases) {
            assertTrue(p.complete(), p.name + " " + p.ready + "/" + p.total + " lost " + p.lost + "\n" + printed);
        }
        assertFalse(r.childAlive, "server JVM still running");
        assertEquals(0, r.childExit, "server JVM exit status\n" + printed);
        String rows = String.join("\n", r.rows.stream().map(row -> String.join(" | ", row)).toList());
        assertTrue(rows.contains("T8 heap per idle socket, plain WS @200"), rows);
        assertTrue(rows.contains("T8 heap per idle socket, Socket.IO @200"), rows);
        assertTrue(rows.contains("plain 200/200, Socket.IO 200/200"), rows);
        assertTrue(printed.contains("minus bare"), printed);
    }

    @Test
    void serverJvmIsKilledWhenTheDriverGivesUpOnIt() throws Exception {
        IdleSocketsRun.Options o = IdleSocketsRun.Options.parse("--sockets", "4", "--heap-mb", "128");
        Process p;
        try (ChildJvm child = ChildJvm.start(o)) {
            p = child.process;
            assertTrue(child.heap() > 0);
            // no quit: what a failing run leaves to close()
        }
        assertFalse(p.isAlive(), "server JVM survived close()");
    }

    @Test
    void acceptKeyIsTheRfcExample() {
        // RFC 6455 section 1.3
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", IdleSocketClient.expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void harnessKnobDefaultsToSkip() {
        assertEquals(0, HarnessOptions.parse().idleSockets);
        assertEquals(200, HarnessOptions.parse("--idle-sockets", "200").idleSockets);
    }
}
