package dev.aiprogress.web.ops;

import java.util.List;
import java.util.Objects;

/**
 * The operators' endpoints (README "Operating it"). Read from configuration by {@link OpsKeys}.
 *
 * @param metricsEnabled          {@code GET /ai-progress/metrics} answers (else 404)
 * @param metricsRole             the container role a caller of the metrics endpoint needs (else 403)
 * @param metricsBackend          one of {@link #BACKENDS}: {@code auto} (Micrometer when it and its Prometheus
 *                                registry are on the classpath, else the plugin's own counters and JMX),
 *                                {@code micrometer} or {@code plugin}
 * @param readyOnProviderFailures 0 = providers never affect readiness; n = not ready once every
 *                                configured provider's last n real attempts all failed on the provider's side
 */
public record OpsOptions(boolean metricsEnabled, String metricsRole, String metricsBackend, int readyOnProviderFailures) {

    public static final List<String> BACKENDS = List.of("auto", "micrometer", "plugin");

    public OpsOptions {
        Objects.requireNonNull(metricsRole, "metricsRole");
        Objects.requireNonNull(metricsBackend, "metricsBackend");
    }
}
