package dev.aiprogress.web.ops;

import dev.aiprogress.realtime.RealtimeCounters;

import java.math.BigDecimal;


/**
 * The plugin's own figures in the Prometheus text exposition format (0.0.4), used when Micrometer's
 * Prometheus registry is not: the same metric names Micrometer would give (README "Operating it").
 */
final class PrometheusWriter {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusWriter() {
    }

    static String write(PluginStats s) {
        PrometheusWriter w = new PrometheusWriter();
        w.header("ai_progress_generations_active", "gauge", "Generations running now.");
        w.sample("ai_progress_generations_active", "", s.activeGenerations());
        w.header("ai_progress_generations_started_total", "counter", "Generations accepted.");
        w.sample("ai_progress_generations_started_total", "", s.started());
        w.header("ai_progress_generations_total", "counter", "Generations ended, by provider, model and outcome (ok or AIP code).");
        s.generations().forEach((k, v) -> w.sample("ai_progress_generations_total",
                labels("model", k.model(), "outcome", k.outcome(), "provider", k.provider()), v));
        w.header("ai_progress_retries_total", "counter", "Attempts retried on the same provider before the first token.");
        s.retries().forEach((k, v) -> w.sample("ai_progress_retries_total", labels("provider", k), v));
        w.header("ai_progress_fallbacks_total", "counter", "Moves to the next provider before the first token.");
        s.fallbacks().forEach((k, v) -> w.sample("ai_progress_fallbacks_total", labels("from", k.from(), "to", k.to()), v));
        w.header("ai_progress_cancellations_total", "counter", "Generations cancelled (AIP-017).");
        w.sample("ai_progress_cancellations_total", "", s.cancellations());
        w.header("ai_progress_errors_total", "counter", "Generations failed, by AIP code (cancellations not included).");
        s.errors().forEach((k, v) -> w.sample("ai_progress_errors_total", labels("code", k), v));
        w.header("ai_progress_chunks_total", "counter", "Reasoning, text and tool-call deltas received from providers.");
        w.sample("ai_progress_chunks_total", "", s.chunks());
        w.header("ai_progress_time_to_first_token_seconds", "histogram", "Time from a generation's start to its first token.");
        s.firstToken().forEach((k, h) -> w.histogram("ai_progress_time_to_first_token_seconds",
                labels("model", k.model(), "provider", k.provider()), h));
        w.header("ai_progress_generation_duration_seconds", "histogram", "Time from a generation's start to its end.");
        s.duration().forEach((k, h) -> w.histogram("ai_progress_generation_duration_seconds",
                labels("model", k.model(), "provider", k.provider()), h));
        w.header("ai_progress_chunk_overhead_seconds", "histogram",
                "Sampled: upstream buffer read to frame handed to the socket, on the same thread.");
        w.histogram("ai_progress_chunk_overhead_seconds", "", s.overhead());

        RealtimeCounters rt = s.realtime();
        w.header("ai_progress_sockets_open", "gauge", "Realtime sockets open now, by transport.");
        w.sample("ai_progress_sockets_open", labels("transport", RealtimeCounters.Transport.PLAIN.label()),
                rt.openSockets(RealtimeCounters.Transport.PLAIN));
        w.sample("ai_progress_sockets_open", labels("transport", RealtimeCounters.Transport.SOCKETIO.label()),
                rt.openSockets(RealtimeCounters.Transport.SOCKETIO));
        w.counter("ai_progress_events_published_total", "Events published to the hub.", rt.publishedCount());
        w.counter("ai_progress_events_delivered_total", "Event frames handed to sockets (a merged frame counts once).",
                rt.deliveredCount());
        w.counter("ai_progress_delivered_bytes_total", "UTF-8 bytes of event frames handed to sockets.",
                rt.deliveredBytesCount());
        w.counter("ai_progress_outbox_merges_total", "Queued deltas merged into the one before them.", rt.mergeCount());
        w.counter("ai_progress_outbox_overflow_closes_total", "Slow sockets closed because their outbox passed its bound.",
                rt.overflowCloseCount());
        w.counter("ai_progress_replay_events_total", "Events queued for a socket from the replay window.",
                rt.replayedCount());
        return w.out.toString();
    }

    private void header(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void counter(String name, String help, long value) {
        header(name, "counter", help);
        sample(name, "", value);
    }

    private void sample(String name, String labels, long value) {
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }

    private void histogram(String name, String labels, LatencyHistogram h) {
        long[] bounds = h.bounds();
        long[] cum = h.cumulative();
        String inner = labels.isEmpty() ? "" : labels.substring(1, labels.length() - 1) + ",";
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{").append(inner).append("le=\"").append(seconds(bounds[i])).append("\"} ")
                    .append(cum[i]).append('\n');
        }
        out.append(name).append("_bucket{").append(inner).append("le=\"+Inf\"} ").append(cum[cum.length - 1]).append('\n');
        out.append(name).append("_sum").append(labels).append(' ').append(seconds(h.sumNanos())).append('\n');
        out.append(name).append("_count").append(labels).append(' ').append(cum[cum.length - 1]).append('\n');
    }

    static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    /** {@code {k1="v1",k2="v2"}} with values escaped. */
    static String labels(String... keysAndValues) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(keysAndValues[i]).append("=\"").append(escape(keysAndValues[i + 1])).append('"');
        }
        return b.append('}').toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
