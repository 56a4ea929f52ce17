package dev.aiprogress.web.ops;

import dev.aiprogress.config.ConfigValues;
import dev.aiprogress.config.Key;

import java.util.List;

/** The configuration keys of metrics and health, each declared once, and how they become {@link OpsOptions}. */
public final class OpsKeys {

    public static final Key<Boolean> METRICS_ENABLED = Key.flag("ai-progress.metrics.enabled", false,
            "the Prometheus endpoint answers");
    public static final Key<String> METRICS_ROLE = Key.text("ai-progress.metrics.role", "ai-progress-admin",
            "the container role the metrics endpoint needs");
    public static final Key<String> METRICS_BACKEND = Key.text("ai-progress.metrics.backend", "auto",
            "auto, micrometer or plugin")
            .requiring(OpsOptions.BACKENDS::contains, backend -> "'" + backend + "' is not one of " + OpsOptions.BACKENDS);
    public static final Key<Integer> READY_ON_PROVIDER_FAILURES = Key.integer(
            "ai-progress.health.ready-on-provider-failures", 0, 0, 1000,
            "0: providers never affect readiness; n: not ready once every provider failed its last n attempts");

    public static final List<Key<?>> ALL = List.of(METRICS_ENABLED, METRICS_ROLE, METRICS_BACKEND,
            READY_ON_PROVIDER_FAILURES);

    private OpsKeys() {
    }

    public static OpsOptions read(ConfigValues values) {
        return new OpsOptions(values.get(METRICS_ENABLED), values.get(METRICS_ROLE), values.get(METRICS_BACKEND),
                values.get(READY_ON_PROVIDER_FAILURES));
    }
}
