/**
 * The recording seam for operators' figures: {@link dev.aiprogress.metrics.PluginMetrics} (every
 * method a no-op by default) that {@code gateway} and {@code provider} call, and
 * {@link dev.aiprogress.metrics.ChunkClock}, the sampled per-chunk overhead clock. Plain Java with no
 * dependency on any other package of ours or on a metrics library: the implementations (the
 * plugin's own counters, JMX, Micrometer) live in {@code web}.
 */
package dev.aiprogress.metrics;
