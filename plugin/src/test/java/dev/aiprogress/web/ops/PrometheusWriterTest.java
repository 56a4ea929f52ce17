package dev.aiprogress.web.ops;

import dev.aiprogress.metrics.GenerationRecord;
import dev.aiprogress.realtime.RealtimeCounters;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusWriterTest {

    @Test
    void labels_withQuotesBackslashesAndNewlines_areEscaped() {
        assertEquals("{model=\"a\\\"b\\\\c\\nd\",provider=\"p\"}", PrometheusWriter.labels("model", "a\"b\\c\nd", "provider", "p"));
    }

    @Test
    void seconds_nanos_arePlainDecimals() {
        assertEquals("0.000001", PrometheusWriter.seconds(1_000));
        assertEquals("0.005", PrometheusWriter.seconds(5_000_000));
        assertEquals("600", PrometheusWriter.seconds(600_000_000_000L));
        assertEquals("0", PrometheusWriter.seconds(0));
    }

    @Test
    void write_oneGenerationOfEachOutcome_givesExactSamples() {
        PluginStats stats = new PluginStats(() -> 2, new RealtimeCounters());
        stats.generationStarted();
        stats.generationStarted();
        stats.generationStarted();
        stats.retry("p");
        stats.fallback("p", "q");
        stats.generationEnded(new GenerationRecord("t1", "q", "m", "ok", OptionalLong.of(3_000_000), 7_000_000, 4));
        stats.generationEnded(new GenerationRecord("t2", "q", "m", "AIP-017", OptionalLong.empty(), 1_000_000, 0));
        stats.generationEnded(new GenerationRecord("t3", "p", "m", "AIP-011", OptionalLong.empty(), 1_000_000, 0));
        String text = PrometheusWriter.write(stats);
        assertTrue(text.contains("\nai_progress_generations_active 2\n"), text);
        assertTrue(text.contains("\nai_progress_generations_started_total 3\n"), text);
        assertTrue(text.contains("\nai_progress_generations_total{model=\"m\",outcome=\"ok\",provider=\"q\"} 1\n"), text);
        assertTrue(text.contains("\nai_progress_generations_total{model=\"m\",outcome=\"AIP-017\",provider=\"q\"} 1\n"), text);
        assertTrue(text.contains("\nai_progress_retries_total{provider=\"p\"} 1\n"), text);
        assertTrue(text.contains("\nai_progress_fallbacks_total{from=\"p\",to=\"q\"} 1\n"), text);
        assertTrue(text.contains("\nai_progress_cancellations_total 1\n"), text);
        assertTrue(text.contains("\nai_progress_errors_total{code=\"AIP-011\"} 1\n"), text);
        assertTrue(!text.contains("ai_progress_errors_total{code=\"AIP-017\"}"), text);
        assertTrue(text.contains("\nai_progress_chunks_total 4\n"), text);
        assertTrue(text.contains("\nai_progress_time_to_first_token_seconds_bucket{model=\"m\",provider=\"q\",le=\"0.005\"} 1\n"), text);
        assertTrue(text.contains("\nai_progress_time_to_first_token_seconds_count{model=\"m\",provider=\"q\"} 1\n"), text);
        assertTrue(text.contains("\nai_progress_time_to_first_token_seconds_sum{model=\"m\",provider=\"q\"} 0.003\n"), text);
        assertTrue(text.contains("\nai_progress_generation_duration_seconds_count{model=\"m\",provider=\"q\"} 2\n"), text);
        assertTrue(text.contains("\nai_progress_chunk_overhead_seconds_bucket{le=\"+Inf\"} 0\n"), text);
        assertTrue(text.contains("\nai_progress_sockets_open{transport=\"plain\"} 0\n"), text);
    }
}
