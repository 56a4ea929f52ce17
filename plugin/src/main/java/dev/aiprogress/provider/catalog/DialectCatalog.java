package dev.aiprogress.provider.catalog;

import dev.aiprogress.provider.ChatProvider;
import dev.aiprogress.provider.ProviderContext;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.anthropic.AnthropicDialect;
import dev.aiprogress.provider.gemini.GeminiDialect;
import dev.aiprogress.provider.ollama.OllamaDialect;
import dev.aiprogress.provider.openai.OpenAiDialect;
import dev.aiprogress.provider.scripted.ScriptedProvider;
import dev.aiprogress.provider.sse.HttpStreamProvider;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Every dialect configuration may name, its default base URL and how its provider is built: the
 * HTTP dialects share the transport of {@code provider/sse}, {@code scripted} needs none. This is
 * the one place that knows every dialect; no dialect knows it (the dialects sit below it).
 */
public final class DialectCatalog {

    /**
     * One dialect.
     *
     * @param defaultBaseUrl as the provider's own SDK writes it (the adapter appends its path)
     */
    public record Dialect(String name, URI defaultBaseUrl,
                          BiFunction<ProviderSettings, ProviderContext, ChatProvider> factory) {
    }

    /** The offline provider: it never connects, a URL only keeps {@link ProviderSettings} whole. */
    public static final String SCRIPTED = "scripted";

    private static final List<Dialect> DIALECTS = List.of(
            new Dialect("openai", URI.create("https://api.openai.com/v1"),
                    (settings, context) -> new HttpStreamProvider(settings, new OpenAiDialect(), context)),
            new Dialect("anthropic", URI.create("https://api.anthropic.com"),
                    (settings, context) -> new HttpStreamProvider(settings, new AnthropicDialect(), context)),
            new Dialect("gemini", URI.create("https://generativelanguage.googleapis.com"),
                    (settings, context) -> new HttpStreamProvider(settings, new GeminiDialect(), context)),
            new Dialect("ollama", URI.create("http://localhost:11434"),
                    (settings, context) -> new HttpStreamProvider(settings, new OllamaDialect(), context)),
            new Dialect(SCRIPTED, URI.create("http://localhost"), ScriptedProvider::new));

    private DialectCatalog() {
    }

    /** The dialect names configuration may use, in the order the documentation lists them. */
    public static List<String> names() {
        return DIALECTS.stream().map(Dialect::name).toList();
    }

    public static Optional<Dialect> find(String name) {
        return DIALECTS.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The dialects that call an upstream over HTTP (all but {@code scripted}). */
    public static List<Dialect> http() {
        return DIALECTS.stream().filter(d -> !d.name().equals(SCRIPTED)).toList();
    }

    /** The provider for configured settings. */
    public static ChatProvider create(ProviderSettings settings, ProviderContext context) {
        Dialect dialect = find(settings.dialect()).orElseThrow(() -> new IllegalArgumentException("ai-progress.provider."
                + settings.name() + ".dialect: unknown dialect '" + settings.dialect() + "'; known: "
                + String.join(", ", names())));
        return dialect.factory().apply(settings, context);
    }
}
