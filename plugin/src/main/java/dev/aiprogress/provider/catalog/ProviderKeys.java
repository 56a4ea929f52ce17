package dev.aiprogress.provider.catalog;

import dev.aiprogress.config.ConfigException;
import dev.aiprogress.config.ConfigValues;
import dev.aiprogress.config.Durations;
import dev.aiprogress.config.Key;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.stream.TagRules;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The configuration keys of the providers, each declared once: the fallback order, the
 * per-provider templates {@code ai-progress.provider.<n>.*}, and the upstream client they share;
 * and how they become {@link ProviderSettings}.
 */
public final class ProviderKeys {

    private static final String P = "ai-progress.provider." + Key.NAME_PLACEHOLDER + ".";
    /** The scripted provider's pause between pieces: paced like a real model. */
    static final Duration SCRIPTED_PACING = Duration.ofMillis(40);
    static final String SCRIPTED_MODEL = "scripted-reasoner";

    public static final Key<List<String>> PROVIDERS = Key.list("ai-progress.providers", List.of(DialectCatalog.SCRIPTED),
            "provider names, in fallback order");
    public static final Key<String> DIALECT = Key.optional(P + "dialect", ProviderKeys::dialect,
            "required unless the name is `scripted`", "the wire dialect: " + String.join(", ", DialectCatalog.names()));
    public static final Key<URI> BASE_URL = Key.url(P + "base-url", List.of("http", "https"),
            DialectCatalog.http().stream().map(d -> d.name() + " `" + d.defaultBaseUrl() + "`")
                    .collect(Collectors.joining(", ")),
            "as in the provider's SDK; the adapter appends its path");
    public static final Key<String> API_KEY = Key.optional(P + "api-key", (key, text) -> text, "none",
            "sent only in headers; write ${env:NAME}");
    public static final Key<String> MODEL = Key.optional(P + "model", (key, text) -> text,
            "scripted `" + SCRIPTED_MODEL + "`; else the first of `.models`, else required", "default model");
    public static final Key<List<String>> MODELS = Key.list(P + "models", List.of(),
            "allow-list of models a request may name").documentedAs("empty = any");
    public static final Key<List<String>> TAGS = Key.list(P + "tags", TagRules.DEFAULT.tags(),
            "inline reasoning tag names");
    public static final Key<TagRules.Mode> TAG_MODE = Key.of(P + "tag-mode", TagRules.DEFAULT.mode(),
            ProviderKeys::tagMode, "leading: only a tag at the start opens reasoning; anywhere: any tag does");
    public static final Key<Boolean> START_IN_REASONING = Key.flag(P + "start-in-reasoning",
            TagRules.DEFAULT.startInReasoning(), "the reply starts inside reasoning");
    public static final Key<Duration> CONNECT_TIMEOUT = Key.positiveDuration(P + "connect-timeout",
            ProviderSettings.DEFAULT_CONNECT_TIMEOUT, "TCP/TLS connect bound");
    public static final Key<Duration> IDLE_TIMEOUT = Key.positiveDuration(P + "idle-timeout",
            ProviderSettings.DEFAULT_IDLE_TIMEOUT, "longest silence in a running stream, including the wait for headers");
    public static final Key<Duration> PACING = Key.optional(P + "pacing", Durations::parse,
            "`" + Durations.format(SCRIPTED_PACING) + "` for scripted, `0` otherwise", "scripted only: pause between pieces");
    public static final Key<Integer> UPSTREAM_THREADS = Key.integer("ai-progress.http.upstream-threads",
            Runtime.getRuntime().availableProcessors(), 1, 1024,
            "I/O threads of the upstream client; each also decodes, splits and publishes its chunks")
            .documentedAs("number of cores");

    public static final List<Key<?>> ALL = List.of(PROVIDERS, DIALECT, BASE_URL, API_KEY, MODEL, MODELS, TAGS,
            TAG_MODE, START_IN_REASONING, CONNECT_TIMEOUT, IDLE_TIMEOUT, PACING, UPSTREAM_THREADS);

    private ProviderKeys() {
    }

    /** The configured providers, in fallback order. */
    public static List<ProviderSettings> read(ConfigValues values) {
        List<String> names = values.get(PROVIDERS);
        if (names.isEmpty()) {
            throw new ConfigException(PROVIDERS.name(), "at least one provider is needed");
        }
        List<ProviderSettings> out = new ArrayList<>();
        for (String name : names) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new ConfigException(PROVIDERS.name(), "'" + name + "' is not a valid provider name (letters, digits, _ and -)");
            }
            if (out.stream().anyMatch(p -> p.name().equals(name))) {
                throw new ConfigException(PROVIDERS.name(), "provider '" + name + "' is listed twice");
            }
            out.add(readOne(values, name));
        }
        return List.copyOf(out);
    }

    /**
     * The connect timeout of the one upstream client all HTTP providers share: the largest they
     * ask for, so none gets less time (the client fixes it per client, not per request; a provider
     * that should give up sooner relies on the gateway's first-token timeout).
     */
    public static Duration upstreamConnectTimeout(List<ProviderSettings> providers) {
        return providers.stream().filter(p -> !p.dialect().equals(DialectCatalog.SCRIPTED))
                .map(ProviderSettings::connectTimeout).max(Duration::compareTo)
                .orElse(ProviderSettings.DEFAULT_CONNECT_TIMEOUT);
    }

    private static ProviderSettings readOne(ConfigValues values, String name) {
        Key<String> dialectKey = DIALECT.forName(name);
        Optional<String> declared = values.find(dialectKey);
        if (declared.isEmpty() && !name.equals(DialectCatalog.SCRIPTED)) {
            throw new ConfigException(dialectKey.name(), "provider '" + name + "' is listed in " + PROVIDERS.name()
                    + " but has no dialect; one of " + String.join(", ", DialectCatalog.names()));
        }
        String dialect = declared.orElse(DialectCatalog.SCRIPTED);
        boolean scripted = dialect.equals(DialectCatalog.SCRIPTED);
        URI baseUrl = values.find(BASE_URL.forName(name))
                .orElseGet(() -> DialectCatalog.find(dialect).orElseThrow().defaultBaseUrl());
        Optional<String> apiKey = values.find(API_KEY.forName(name));
        Key<List<String>> modelsKey = MODELS.forName(name);
        List<String> models = values.get(modelsKey);
        Key<String> modelKey = MODEL.forName(name);
        String model = values.find(modelKey)
                .or(() -> scripted ? Optional.of(SCRIPTED_MODEL) : Optional.empty())
                .or(() -> models.stream().findFirst())
                .orElseThrow(() -> new ConfigException(modelKey.name(), "provider '" + name
                        + "' needs a default model (or a non-empty " + modelsKey.name() + " list)"));
        if (!models.isEmpty() && !models.contains(model)) {
            throw new ConfigException(modelKey.name(), "'" + model + "' is not in " + modelsKey.name() + " " + models);
        }
        TagRules tagRules = tagRules(values, name);
        Duration connect = values.get(CONNECT_TIMEOUT.forName(name));
        Duration idle = values.get(IDLE_TIMEOUT.forName(name));
        Duration pacing = values.find(PACING.forName(name)).orElse(scripted ? SCRIPTED_PACING : Duration.ZERO);
        return new ProviderSettings(name, dialect, baseUrl, apiKey, model, models, tagRules, connect, idle, pacing);
    }

    private static TagRules tagRules(ConfigValues values, String name) {
        Key<List<String>> tagsKey = TAGS.forName(name);
        List<String> tags = values.get(tagsKey);
        TagRules.Mode mode = values.get(TAG_MODE.forName(name));
        boolean startInReasoning = values.get(START_IN_REASONING.forName(name));
        try {
            return new TagRules(tags, mode, startInReasoning);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(tagsKey.name(), e.getMessage());
        }
    }

    private static String dialect(String key, String text) {
        String dialect = text.toLowerCase(Locale.ROOT);
        if (DialectCatalog.find(dialect).isEmpty()) {
            throw new ConfigException(key, "unknown dialect '" + dialect + "'; one of " + String.join(", ", DialectCatalog.names()));
        }
        return dialect;
    }

    private static TagRules.Mode tagMode(String key, String text) {
        String mode = text.toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "leading" -> TagRules.Mode.LEADING;
            case "anywhere" -> TagRules.Mode.ANYWHERE;
            default -> throw new ConfigException(key, "unknown tag mode '" + mode + "'; one of leading, anywhere");
        };
    }
}
