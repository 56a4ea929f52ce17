package dev.aiprogress.provider.scripted;

import dev.aiprogress.provider.ChatProvider;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderContext;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.StreamListener;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The offline default: a pretend reasoning model that needs no network, no key and no HTTP. It
 * reasons, then answers in Markdown about the last user message, cut into uneven pieces (through
 * words, tags and surrogate pairs), paced by {@link ProviderSettings#pacing()} on the context's
 * scheduler. The model name picks the behaviour ({@link ScriptedVariant}):
 * {@code scripted-reasoner} (default), {@code scripted-inline}, {@code scripted-tools},
 * {@code scripted-fail}, {@code scripted-slow}. The same request always gives the same stream.
 */
public final class ScriptedProvider implements ChatProvider {

    public static final String DIALECT = "scripted";
    public static final String DEFAULT_MODEL = "scripted-reasoner";

    private final ProviderSettings settings;
    private final ScheduledExecutorService scheduler;

    public ScriptedProvider(ProviderSettings settings, ProviderContext context) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(context, "context").scheduler();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    @Override
    public String defaultModel() {
        return settings.defaultModel().isBlank() ? DEFAULT_MODEL : settings.defaultModel();
    }

    @Override
    public StreamHandle stream(ChatRequest request, StreamListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        ScriptedPlayback playback = new ScriptedPlayback(ScriptedReply.of(request), listener, scheduler, settings.pacing());
        playback.start();
        return playback;
    }
}
