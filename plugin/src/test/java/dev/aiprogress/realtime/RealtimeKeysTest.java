package dev.aiprogress.realtime;

import dev.aiprogress.auth.AuthKeys;
import dev.aiprogress.config.ConfigValues;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The realtime keys read into {@link RealtimeOptions}, with the origins the auth keys allow. */
class RealtimeKeysTest {

    static RealtimeOptions options(Map<String, String> params) {
        ConfigValues values = ConfigValues.of(params);
        return RealtimeKeys.read(values, AuthKeys.read(values).origins());
    }

    @Test
    void options_outboxSmallerThanTheDefaultReplayWindow_shrinksTheWindowToFit() {
        RealtimeOptions o = options(Map.of("ai-progress.realtime.outbox.max-events", "8",
                "ai-progress.realtime.outbox.max-bytes", "4096"));
        assertEquals(List.of(8, 4096L, 8, 4096L), List.of(o.outboxMaxEvents(), o.outboxMaxBytes(),
                o.replayMaxEvents(), o.replayMaxBytes()));
    }

    @Test
    void options_defaults_mapEveryKey() {
        RealtimeOptions o = options(Map.of("ai-progress.realtime.ping-interval", "5s",
                "ai-progress.realtime.ping-timeout", "3s", "ai-progress.realtime.replay-window", "20s",
                "ai-progress.origins", "https://app.example"));
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(20)),
                List.of(o.pingInterval(), o.pingTimeout(), o.replayMaxAge()));
        assertEquals(List.of(1000, 1_048_576L, 500, 1_048_576L), List.of(o.outboxMaxEvents(), o.outboxMaxBytes(),
                o.replayMaxEvents(), o.replayMaxBytes()));
        assertEquals(List.of("https://app.example"), o.allowedOrigins());
    }
}
