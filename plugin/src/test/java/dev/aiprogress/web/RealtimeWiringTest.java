package dev.aiprogress.web;

import dev.aiprogress.realtime.RealtimeOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RealtimeWiringTest {

    static RealtimeOptions options(Map<String, String> params) {
        return RealtimeWiring.options(Config.from(ConfigSources.ofParams(params)));
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
