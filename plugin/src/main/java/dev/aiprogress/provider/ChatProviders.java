package dev.aiprogress.provider;

import dev.aiprogress.provider.anthropic.AnthropicDialect;
import dev.aiprogress.provider.gemini.GeminiDialect;
import dev.aiprogress.provider.ollama.OllamaDialect;
import dev.aiprogress.provider.openai.OpenAiDialect;
import dev.aiprogress.provider.scripted.ScriptedProvider;
import dev.aiprogress.provider.sse.HttpStreamProvider;

import java.util.List;

/** Builds the provider for a configured dialect: the HTTP ones share one transport, {@code scripted} needs none. */
public final class ChatProviders {

    /** The dialect names configuration may use. */
    public static final List<String> DIALECTS = List.of("openai", "anthropic", "gemini", "ollama", "scripted");

    private ChatProviders() {
    }

    public static ChatProvider create(ProviderSettings settings, ProviderContext context) {
        return switch (settings.dialect()) {
            case "openai" -> new HttpStreamProvider(settings, new OpenAiDialect(), context);
            case "anthropic" -> new HttpStreamProvider(settings, new AnthropicDialect(), context);
            case "gemini" -> new HttpStreamProvider(settings, new GeminiDialect(), context);
            case "ollama" -> new HttpStreamProvider(settings, new OllamaDialect(), context);
            case "scripted" -> new ScriptedProvider(settings, context);
            default -> throw new IllegalArgumentException("ai-progress.provider." + settings.name()
                    + ".dialect: unknown dialect '" + settings.dialect() + "'; known: " + String.join(", ", DIALECTS));
        };
    }
}
