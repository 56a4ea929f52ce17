/**
 * What operators look at: health (liveness, readiness), metrics (the plugin's own counters and JMX,
 * or Micrometer's Prometheus registry) and their endpoints, with {@link dev.aiprogress.web.ops.OpsOptions}
 * read by {@link dev.aiprogress.web.ops.OpsKeys}. May import {@code metrics}, {@code realtime}
 * (its counters) and {@code config}; never the other {@code web} packages.
 */
package dev.aiprogress.web.ops;
