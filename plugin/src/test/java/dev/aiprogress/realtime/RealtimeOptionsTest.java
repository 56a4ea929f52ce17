package dev.aiprogress.realtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RealtimeOptionsTest {

    @Test
    void defaults_areTheDocumentedValues() {
        RealtimeOptions o = RealtimeOptions.defaults();
        assertEquals(Duration.ofSeconds(25), o.pingInterval());
        assertEquals(Duration.ofSeconds(20), o.pingTimeout());
        assertEquals(1_000_000, o.maxPayload());
        assertEquals(Duration.ofSeconds(45), o.connectTimeout());
        assertEquals(1_000, o.outboxMaxEvents());
        // the README's defaults, the same as configuration's (RealtimeKeys declares them from these)
        assertEquals(1024L * 1024, o.outboxMaxBytes());
        assertEquals(Duration.ofSeconds(60), o.replayMaxAge());
        assertEquals(500, o.replayMaxEvents());
        assertEquals(1024L * 1024, o.replayMaxBytes());
        assertEquals(List.of(), o.allowedOrigins());
    }

    @Test
    void constructor_replayWindowLargerThanOutbox_isRefusedWithClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RealtimeOptions.defaults().withOutbox(100, 4L * 1024 * 1024));
        assertEquals("the replay window (500 events, 1048576 bytes) must fit in the outbox (100 events, 4194304 bytes)",
                e.getMessage());
    }

    @Test
    void constructor_nonPositiveDuration_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> RealtimeOptions.defaults().withHeartbeat(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
