package dev.aiprogress.web.ops;

import dev.aiprogress.metrics.PluginMetrics;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each provider's last real outcome, from the attempts of actual generations: readiness never
 * calls a (paid) upstream. A provider that failed and later succeeded shows {@code ok} again.
 * Failures the request caused (the upstream's 4xx for a bad request) are never reported here.
 */
final class ProviderHealth implements PluginMetrics {

    /**
     * {@code ok}, {@code error} or {@code none}; the code only for an error.
     *
     * @param failuresInARow provider-side failures since its last success
     */
    record Last(String outcome, Optional<String> errorCode, Optional<Instant> at, int failuresInARow) {
        static final Last NONE = new Last("none", Optional.empty(), Optional.empty(), 0);

        boolean error() {
            return "error".equals(outcome);
        }
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Last> last = new ConcurrentHashMap<>();

    ProviderHealth(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void attemptEnded(String provider, String outcome) {
        Instant at = clock.instant();
        last.compute(provider, (name, before) -> PluginMetrics.OK.equals(outcome)
                ? new Last("ok", Optional.empty(), Optional.of(at), 0)
                : new Last("error", Optional.of(outcome), Optional.of(at),
                        before == null ? 1 : Math.min(before.failuresInARow() + 1, 1_000_000)));
    }

    /** The named providers, in that order, with {@link Last#NONE} for those never used. */
    Map<String, Last> of(List<String> providers) {
        Map<String, Last> out = new LinkedHashMap<>();
        for (String name : providers) {
            out.put(name, last.getOrDefault(name, Last.NONE));
        }
        return out;
    }
}
