package dev.aiprogress.metrics;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One finished generation, as operators see it: no text, no user id.
 *
 * @param outcome          {@link PluginMetrics#OK} or the failure's stable code ({@code AIP-0xx})
 * @param firstTokenNanos  from the start to the first token, empty when none came
 * @param durationNanos    from the start to the end
 * @param chunks           reasoning, text and tool-call deltas received from the provider(s)
 */
public record GenerationRecord(String taskId, String provider, String model, String outcome,
                               OptionalLong firstTokenNanos, long durationNanos, long chunks) {
    public GenerationRecord {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(firstTokenNanos, "firstTokenNanos");
    }

    public boolean ok() {
        return PluginMetrics.OK.equals(outcome);
    }
}
