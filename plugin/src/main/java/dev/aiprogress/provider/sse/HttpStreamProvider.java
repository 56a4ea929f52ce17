package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.ChatProvider;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.ProviderContext;
import dev.aiprogress.provider.ProviderSettings;
import dev.aiprogress.provider.StreamHandle;
import dev.aiprogress.provider.StreamListener;
import dev.aiprogress.provider.UpstreamCall;
import dev.aiprogress.provider.WireDialect;

import dev.aiprogress.provider.http.UpstreamRequest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ChatProvider} for any HTTP streaming dialect: the {@link WireDialect} says what to send
 * and how to read frames; this class does the HTTP, decoding, timeouts and cancellation. Holds no
 * per-stream thread: each call is one {@link StreamExchange} driven by the upstream client's I/O thread.
 */
public final class HttpStreamProvider implements ChatProvider {

    private final ProviderSettings settings;
    private final WireDialect dialect;
    private final ProviderContext context;
    private final SecretRedactor redactor;

    public HttpStreamProvider(ProviderSettings settings, WireDialect dialect, ProviderContext context) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.context = Objects.requireNonNull(context, "context");
        this.redactor = new SecretRedactor(settings.apiKey());
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String dialect() {
        return dialect.name();
    }

    @Override
    public String defaultModel() {
        return settings.defaultModel();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the dialect cannot express the request (for example a
     *                                  tool whose parameters are not JSON); nothing is sent then
     */
    @Override
    public StreamHandle stream(ChatRequest request, StreamListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        UpstreamCall call = dialect.call(request, settings, context.json());
        StreamExchange exchange = new StreamExchange(dialect, dialect.newParser(request, context.json()),
                context, settings.idleTimeout(), redactor, listener);
        exchange.start(httpRequest(call));
        return exchange;
    }

    UpstreamRequest httpRequest(UpstreamCall call) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(call.headers().size() + 2);
        headers.add(Map.entry("Content-Type", "application/json"));
        headers.add(Map.entry("Accept", dialect.framing() == WireDialect.Framing.SSE ? "text/event-stream" : "application/x-ndjson"));
        headers.addAll(call.headers().entrySet());
        return new UpstreamRequest(target(settings.baseUrl(), call.pathAndQuery()), headers,
                call.body().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code base} as written in the provider's SDK (with or without a trailing slash) + the dialect's path. */
    static URI target(URI base, String pathAndQuery) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + (pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery));
    }
}
