package dev.aiprogress.web.http;

import dev.aiprogress.auth.FailedLogins;
import dev.aiprogress.auth.HttpIdentity;
import dev.aiprogress.auth.OriginPolicy;
import dev.aiprogress.event.EventJson;
import dev.aiprogress.gateway.Gateway;
import dev.aiprogress.provider.ProviderSettings;
import jakarta.servlet.ServletContext;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the HTTP endpoints share in one deployment, built by the bootstrap once every part runs and
 * kept as the context attribute {@link #ATTRIBUTE}: the container makes the servlets and filters,
 * and they find their collaborators here.
 */
public final class HttpServices {

    public static final String ATTRIBUTE = HttpServices.class.getName();

    private final HttpOptions options;
    private final List<ProviderSettings> providers;
    private final HttpIdentity identity;
    private final OriginPolicy origins;
    private final FailedLogins failedLogins;
    private final Gateway gateway;
    private final EventJson eventJson;
    private final ScheduledExecutorService scheduler;
    private final ChatRequestParser chatRequestParser;
    private final InFlightReplies inFlightReplies = new InFlightReplies();

    /**
     * @param scheduler the shared timers (body deadlines, reply heartbeats); tasks must not block
     */
    public HttpServices(HttpOptions options, List<ProviderSettings> providers, HttpIdentity identity,
                        OriginPolicy origins, FailedLogins failedLogins, Gateway gateway, EventJson eventJson,
                        ScheduledExecutorService scheduler) {
        this.options = Objects.requireNonNull(options, "options");
        this.providers = List.copyOf(providers);
        this.identity = Objects.requireNonNull(identity, "identity");
        this.origins = Objects.requireNonNull(origins, "origins");
        this.failedLogins = Objects.requireNonNull(failedLogins, "failedLogins");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.eventJson = Objects.requireNonNull(eventJson, "eventJson");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.chatRequestParser = new ChatRequestParser(options.limits(), this.providers);
    }

    /** The services of a running deployment; fails when the lifecycle listener did not start it. */
    public static HttpServices of(ServletContext context) {
        Object value = context.getAttribute(ATTRIBUTE);
        if (value instanceof HttpServices services) {
            return services;
        }
        throw new IllegalStateException("ai-progress: not running in this context; is PluginLifecycle registered?");
    }

    public HttpOptions options() {
        return options;
    }

    public List<ProviderSettings> providers() {
        return providers;
    }

    public HttpIdentity identity() {
        return identity;
    }

    OriginPolicy origins() {
        return origins;
    }

    FailedLogins failedLogins() {
        return failedLogins;
    }

    public Gateway gateway() {
        return gateway;
    }

    EventJson eventJson() {
        return eventJson;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public ChatRequestParser chatRequestParser() {
        return chatRequestParser;
    }

    InFlightReplies inFlightReplies() {
        return inFlightReplies;
    }

    /**
     * For a shutdown that lets the chat replies being written finish: waits up to {@code limit}
     * until none is open, and answers how many still are (0 when all finished).
     */
    public int awaitRepliesWritten(Duration limit) throws InterruptedException {
        return inFlightReplies.awaitNone(limit) ? 0 : Math.max(1, inFlightReplies.open());
    }
}
