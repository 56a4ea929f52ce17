package dev.aiprogress.web;

import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.stream.TagRules;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Builds {@link ProviderSettings} from {@code ai-progress.provider.<name>.*}. */
final class ProviderConfigParser {

    static final String PROVIDER = Config.PREFIX + "provider.";

    /** Base URLs as each provider's own SDK writes them; the adapter appends the path. */
    private static final Map<String, String> DEFAULT_BASE_URL = Map.of(
            "openai", "https://api.openai.com/v1",
            "anthropic", "https://api.anthropic.com",
            "gemini", "https://generativelanguage.googleapis.com",
            "ollama", "http://localhost:11434",
            // the scripted provider never connects; a URL keeps ProviderSettings non-null
            "scripted", "http://localhost");

    static final List<String> DIALECTS = List.of("openai", "anthropic", "gemini", "ollama", "scripted");

    private ProviderConfigParser() {
    }

    static List<ProviderSettings> parse(ConfigValues values) {
        String listKey = Config.PREFIX + "providers";
        List<String> names = values.list(listKey, List.of("scripted"));
        if (names.isEmpty()) {
            throw new ConfigException(listKey, "at least one provider is needed");
        }
        List<ProviderSettings> out = new ArrayList<>();
        for (String name : names) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new ConfigException(listKey, "'" + name + "' is not a valid provider name (letters, digits, _ and -)");
            }
            if (out.stream().anyMatch(p -> p.name().equals(name))) {
                throw new ConfigException(listKey, "provider '" + name + "' is listed twice");
            }
            out.add(parseOne(values, name));
        }
        return List.copyOf(out);
    }

    private static ProviderSettings parseOne(ConfigValues values, String name) {
        String p = PROVIDER + name + ".";
        String dialectKey = p + "dialect";
        Optional<String> declared = values.string(dialectKey).map(d -> d.toLowerCase(Locale.ROOT));
        if (declared.isEmpty() && !name.equals("scripted")) {
            throw new ConfigException(dialectKey, "provider '" + name + "' is listed in " + Config.PREFIX
                    + "providers but has no dialect; one of " + String.join(", ", DIALECTS));
        }
        String dialect = declared.orElse("scripted");
        if (!DIALECTS.contains(dialect)) {
            throw new ConfigException(dialectKey, "unknown dialect '" + dialect + "'; one of " + String.join(", ", DIALECTS));
        }
        URI baseUrl = values.url(p + "base-url", List.of("http", "https"))
                .orElseGet(() -> URI.create(DEFAULT_BASE_URL.get(dialect)));
        Optional<String> apiKey = values.string(p + "api-key");
        List<String> models = values.list(p + "models", List.of());
        String model = values.string(p + "model")
                .or(() -> dialect.equals("scripted") ? Optional.of("scripted-reasoner") : Optional.empty())
                .or(() -> models.stream().findFirst())
                .orElseThrow(() -> new ConfigException(p + "model", "provider '" + name
                        + "' needs a default model (or a non-empty " + p + "models list)"));
        if (!models.isEmpty() && !models.contains(model)) {
            throw new ConfigException(p + "model", "'" + model + "' is not in " + p + "models " + models);
        }
        TagRules tagRules = tagRules(values, p);
        Duration connect = positive(values, p + "connect-timeout", Duration.ofSeconds(10));
        Duration idle = positive(values, p + "idle-timeout", Duration.ofSeconds(120));
        Duration pacing = values.duration(p + "pacing", dialect.equals("scripted") ? Duration.ofMillis(40) : Duration.ZERO);
        return new ProviderSettings(name, dialect, baseUrl, apiKey, model, models, tagRules, connect, idle, pacing);
    }

    private static TagRules tagRules(ConfigValues values, String p) {
        List<String> tags = values.list(p + "tags", TagRules.DEFAULT.tags());
        String modeText = values.string(p + "tag-mode", "leading").toLowerCase(Locale.ROOT);
        TagRules.Mode mode = switch (modeText) {
            case "leading" -> TagRules.Mode.LEADING;
            case "anywhere" -> TagRules.Mode.ANYWHERE;
            default -> throw new ConfigException(p + "tag-mode", "unknown tag mode '" + modeText + "'; one of leading, anywhere");
        };
        boolean startInReasoning = values.bool(p + "start-in-reasoning", false);
        try {
            return new TagRules(tags, mode, startInReasoning);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(p + "tags", e.getMessage());
        }
    }

    private static Duration positive(ConfigValues values, String key, Duration fallback) {
        Duration d = values.duration(key, fallback);
        if (d.isZero()) {
            throw new ConfigException(key, "must be greater than 0");
        }
        return d;
    }
}
