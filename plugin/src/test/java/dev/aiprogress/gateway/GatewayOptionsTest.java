package dev.aiprogress.gateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GatewayOptionsTest {

    @Test
    void defaults_haveTheDocumentedValues() {
        GatewayOptions o = GatewayOptions.defaults(List.of("scripted"));

        assertEquals(Duration.ofSeconds(60), o.firstTokenTimeout());
        assertEquals(new GatewayOptions.Retry(3, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30),
                0.2), o.retry());
        assertEquals(true, o.compatEvents());
        assertEquals(4, o.maxLivePerUser());
        assertEquals(Duration.ofSeconds(60), o.finishedRetention());
        assertEquals(1000, o.finishedTasksKept());
    }

    @Test
    void construct_emptyOrder_failsNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayOptions.defaults(List.of()));
        assertEquals("providers: at least one provider name is needed", e.getMessage());
    }

    @Test
    void construct_duplicateName_fails() {
        assertThrows(IllegalArgumentException.class, () -> GatewayOptions.defaults(List.of("a", "a")));
    }

    @Test
    void retry_maxBackoffBelowBase_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GatewayOptions.Retry(2,
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(30), 0));
        assertEquals("retry.maxBackoff must be >= retry.baseBackoff", e.getMessage());
    }

    @Test
    void retry_jitterOutOfRange_fails() {
        assertThrows(IllegalArgumentException.class, () -> new GatewayOptions.Retry(2, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, 1.5));
    }
}
