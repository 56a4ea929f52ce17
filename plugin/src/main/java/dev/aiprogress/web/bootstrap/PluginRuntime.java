package dev.aiprogress.web.bootstrap;

import dev.aiprogress.auth.FailedLogins;
import dev.aiprogress.auth.HttpIdentity;
import dev.aiprogress.auth.SessionRegistry;
import dev.aiprogress.auth.Tokens;
import dev.aiprogress.event.EventJson;
import dev.aiprogress.provider.catalog.ProviderKeys;
import dev.aiprogress.stream.TaskScheduler;
import dev.aiprogress.web.config.Config;
import jakarta.servlet.ServletContext;

import dev.aiprogress.provider.http.UpstreamClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The shared parts everything else of a deployment runs on (configuration, sessions, tokens,
 * timers, the upstream client), built once per deployment by {@link PluginLifecycle} and stored as
 * the context attribute {@link #ATTRIBUTE}. What is built on top of it (bus, hub, gateway, the
 * HTTP services) registers with {@link #closeOnShutdown}; {@link #close()} stops all of it, last
 * built first, then every thread, timer and client it owns.
 */
public final class PluginRuntime implements AutoCloseable {

    public static final String ATTRIBUTE = PluginRuntime.class.getName();

    private static final System.Logger LOG = System.getLogger(PluginRuntime.class.getName());

    private final Config config;
    private final SessionRegistry sessions;
    private final Tokens tokens;
    private final HttpIdentity identity;
    private final EventJson eventJson;
    private final FailedLogins failedLogins;
    private final ScheduledExecutorService scheduler;
    private final UpstreamClient upstream;
    /** Closed first, last added first: the lead's gateway/hub/endpoints register here. Guarded by itself. */
    private final List<AutoCloseable> closeables = new ArrayList<>();

    PluginRuntime(Config config, SessionRegistry sessions, Tokens tokens) {
        this.config = Objects.requireNonNull(config, "config");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.identity = new HttpIdentity(config.auth(), tokens, sessions);
        this.eventJson = new EventJson();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, new DaemonThreads("scheduler"));
        timers.setRemoveOnCancelPolicy(true);
        this.scheduler = timers;
        this.failedLogins = new FailedLogins(config.auth().login(), System::nanoTime, FailedLogins.DEFAULT_MAX_TRACKED);
        // entries age out even when no one logs in any more
        timers.scheduleWithFixedDelay(failedLogins::sweep, 1, 1, TimeUnit.MINUTES);
        // one client for every provider: its connect timeout is the largest one configured
        this.upstream = new UpstreamClient(UpstreamClient.Options.defaults(
                ProviderKeys.upstreamConnectTimeout(config.providers()), config.upstreamThreads()), scheduler);
    }

    /** The runtime of a deployed plugin; fails when the lifecycle listener did not run. */
    public static PluginRuntime of(ServletContext context) {
        Object value = context.getAttribute(ATTRIBUTE);
        if (value instanceof PluginRuntime runtime) {
            return runtime;
        }
        throw new IllegalStateException("ai-progress: no runtime in this context; is PluginLifecycle registered?");
    }

    public Config config() {
        return config;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /** The API token verifiers, for HTTP and both socket transports. */
    public Tokens tokens() {
        return tokens;
    }

    public HttpIdentity identity() {
        return identity;
    }

    public EventJson eventJson() {
        return eventJson;
    }

    /** Shared timers (daemon threads {@code ai-progress-scheduler-*}); tasks must not block. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The shared timers as the {@code stream} package's {@link TaskScheduler} (for {@code Coalescer}). */
    public TaskScheduler taskScheduler() {
        return new TaskScheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Runnable schedule(Runnable task, long delayNanos) {
                ScheduledFuture<?> future = scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            }
        };
    }

    /** The upstream client: HTTP/1.1, responses read and handled on {@code ai-progress-upstream-*} threads. */
    public UpstreamClient upstream() {
        return upstream;
    }

    /** The failed-login slow-down of this deployment. */
    FailedLogins failedLogins() {
        return failedLogins;
    }

    /** Something to close on undeploy before the shared parts (gateway, hub, cluster bus...). */
    public void closeOnShutdown(AutoCloseable closeable) {
        synchronized (closeables) {
            closeables.add(Objects.requireNonNull(closeable, "closeable"));
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (closeables) {
            toClose = new ArrayList<>(closeables);
            closeables.clear();
        }
        Collections.reverse(toClose);
        toClose.forEach(PluginRuntime::closeQuietly);
        closeQuietly(tokens);
        closeQuietly(upstream); // its I/O threads end and close every upstream connection
        scheduler.shutdownNow();
        closeQuietly(eventJson);
        awaitTermination(scheduler);
    }

    private static void awaitTermination(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "AIP-901 an ai-progress executor did not stop within 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "AIP-902 closing " + closeable.getClass().getSimpleName() + " failed", e);
        }
    }
}
