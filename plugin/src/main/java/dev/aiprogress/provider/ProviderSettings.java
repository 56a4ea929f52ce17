package dev.aiprogress.provider;

import dev.aiprogress.stream.TagRules;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured provider ({@code ai-progress.provider.<name>.*}), read from configuration by
 * {@code provider.catalog.ProviderKeys}. Providers never read configuration themselves.
 *
 * @param baseUrl        written as in the provider's own SDK; the adapter appends its path
 * @param apiKey         sent only in headers; never logged, never put in an error text
 * @param models         allow-list of models; empty = any
 * @param connectTimeout TCP/TLS connect bound. Providers share one HTTP client and the JDK fixes the
 *                       connect timeout per client, so the runtime builds it with the largest value
 *                       configured (see {@code ProviderKeys.upstreamConnectTimeout})
 * @param idleTimeout    longest silence allowed between bytes of a running stream (keep-alives count)
 * @param pacing         {@code scripted} only: pause between chunks ({@link Duration#ZERO} in tests)
 */
public record ProviderSettings(
        String name,
        String dialect,
        URI baseUrl,
        Optional<String> apiKey,
        String defaultModel,
        List<String> models,
        TagRules tagRules,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration pacing) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

    public ProviderSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(defaultModel, "defaultModel");
        models = List.copyOf(models);
        Objects.requireNonNull(tagRules, "tagRules");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(pacing, "pacing");
    }

    /** Settings with the defaults for a dialect, for tests and the demo. */
    public static ProviderSettings of(String name, String dialect, URI baseUrl, String defaultModel) {
        return new ProviderSettings(name, dialect, baseUrl, Optional.empty(), defaultModel, List.of(),
                TagRules.DEFAULT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_TIMEOUT, Duration.ZERO);
    }

    public ProviderSettings withApiKey(String key) {
        return new ProviderSettings(name, dialect, baseUrl, Optional.of(key), defaultModel, models, tagRules,
                connectTimeout, idleTimeout, pacing);
    }

    public ProviderSettings withTimeouts(Duration connect, Duration idle) {
        return new ProviderSettings(name, dialect, baseUrl, apiKey, defaultModel, models, tagRules,
                connect, idle, pacing);
    }

    public ProviderSettings withPacing(Duration newPacing) {
        return new ProviderSettings(name, dialect, baseUrl, apiKey, defaultModel, models, tagRules,
                connectTimeout, idleTimeout, newPacing);
    }

    /**
     * The base URL for logs: user-info ({@code https://user:key@host}) and the query (some
     * gateways take {@code ?key=…}) are replaced by {@code ***}, so no secret reaches a log line.
     */
    public String baseUrlForLogs() {
        return redactedUrl(baseUrl);
    }

    /** {@code scheme://[***@]host[:port]/path[?***]} — see {@link #baseUrlForLogs()}. */
    public static String redactedUrl(URI url) {
        StringBuilder out = new StringBuilder();
        if (url.getScheme() != null) {
            out.append(url.getScheme()).append("://");
        }
        if (url.getRawUserInfo() != null) {
            out.append("***@");
        }
        if (url.getHost() != null) {
            out.append(url.getHost());
        }
        if (url.getPort() >= 0) {
            out.append(':').append(url.getPort());
        }
        if (url.getRawPath() != null) {
            out.append(url.getRawPath());
        }
        if (url.getRawQuery() != null) {
            out.append("?***");
        }
        if (url.getRawFragment() != null) {
            out.append("#***");
        }
        return out.toString();
    }

    /** The key, masked for logs ({@code sk-…1234} style never; just whether one is set). */
    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", dialect=" + dialect + ", baseUrl=" + baseUrlForLogs()
                + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)") + ", defaultModel=" + defaultModel
                + ", models=" + models + ", tagRules=" + tagRules + ", connectTimeout=" + connectTimeout
                + ", idleTimeout=" + idleTimeout + ", pacing=" + pacing + "]";
    }
}
