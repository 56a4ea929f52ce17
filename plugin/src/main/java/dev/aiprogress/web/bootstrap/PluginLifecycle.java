package dev.aiprogress.web.bootstrap;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import dev.aiprogress.auth.OriginPolicy;
import dev.aiprogress.auth.SessionRegistry;
import dev.aiprogress.auth.Tokens;
import dev.aiprogress.cluster.ClusterBus;
import dev.aiprogress.config.ConfigException;
import dev.aiprogress.gateway.Gateway;
import dev.aiprogress.realtime.ClientJson;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.web.config.Config;
import dev.aiprogress.web.config.ConfigSources;
import dev.aiprogress.web.http.ContainerQuirks;
import dev.aiprogress.web.http.HttpServices;
import dev.aiprogress.web.ops.Operations;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the {@link PluginRuntime} when the web application starts and closes it when it stops
 * (docs/ARCHITECTURE.md). Added by {@link PluginInitializer}; a {@code web.xml} that turned
 * auto-registration off may declare it as a {@code <listener>} (no-arg constructor).
 */
public final class PluginLifecycle implements ServletContextListener {

    private static final System.Logger LOG = System.getLogger(PluginLifecycle.class.getName());

    /** Parsed by the initializer already, or empty: parse in {@link #contextInitialized}. */
    private final Optional<Config> preparsed;
    private final Optional<SessionRegistry> registeredSessions;

    /** For {@code web.xml}: reads the configuration itself. */
    public PluginLifecycle() {
        this.preparsed = Optional.empty();
        this.registeredSessions = Optional.empty();
    }

    /** What this listener started; closed by its {@code contextDestroyed}. */
    private volatile Running started;
    /** Registered while the runtime runs; removed by {@code contextDestroyed}. */
    private volatile Thread shutdownHook;
    /** AIP-002 is logged once per runtime: by {@code contextDestroyed}, or by the JVM hook when the container never undeploys. */
    private final java.util.concurrent.atomic.AtomicBoolean stopLogged = new java.util.concurrent.atomic.AtomicBoolean();

    /** How long a shutdown waits for the failure replies of the generations it cancelled. */
    public static final Duration REPLY_DRAIN = Duration.ofSeconds(5);

    PluginLifecycle(Config config, SessionRegistry sessions) {
        this.preparsed = Optional.of(config);
        this.registeredSessions = Optional.of(sessions);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        if (context.getAttribute(PluginRuntime.ATTRIBUTE) != null) {
            // a second listener in one context (web.xml plus auto-registration, or an embedded
            // context started again that kept the old listener): one runtime, owned by the first
            LOG.log(System.Logger.Level.WARNING, "AIP-007 ai-progress is already running in this context; "
                    + "a second PluginLifecycle is ignored");
            return;
        }
        Config config;
        Tokens tokens;
        try {
            config = preparsed.orElseGet(() -> Config.from(ConfigSources.of(context)));
            tokens = Tokens.load(config.auth(), context.getClassLoader());
        } catch (ConfigException e) {
            LOG.log(System.Logger.Level.ERROR, "AIP-001 ai-progress configuration is invalid: " + e.getMessage());
            throw e;
        }
        SessionRegistry sessions = registeredSessions.orElseGet(() -> {
            SessionRegistry created = new SessionRegistry();
            context.addListener(created);
            return created;
        });
        PluginRuntime runtime;
        try {
            // client frames are read with JSON-P: find it now, with the application's class loader
            ClientJson.warmUp();
            runtime = new PluginRuntime(config, sessions, tokens);
        } catch (jakarta.json.JsonException | jakarta.json.bind.JsonbException e) {
            LOG.log(System.Logger.Level.ERROR, "AIP-004 no JSON-P/JSON-B implementation found: on Tomcat and Jetty put "
                    + "jakarta.json-api, parsson, jakarta.json.bind-api and yasson beside the plugin jar in WEB-INF/lib", e);
            throw e;
        }
        context.setAttribute(PluginRuntime.ATTRIBUTE, runtime);
        Running running;
        try {
            running = new Running(runtime, startServices(config, runtime, context));
        } catch (RuntimeException e) {
            context.removeAttribute(PluginRuntime.ATTRIBUTE);
            runtime.close();
            throw e;
        }
        started = running;
        stopLogged.set(false);
        shutdownHook = registerShutdownHook(context, running, stopLogged);
        LOG.log(System.Logger.Level.INFO, "AIP-000 ai-progress started: " + config.summary());
    }

    /**
     * A JVM shutdown hook (SIGTERM) that cancels the running generations at once, while the server
     * still holds its connections: containers close connections before (Jetty) or while (Tomcat)
     * they stop the application, and a chat call cut there would get an empty 200. Cancelled, each
     * generation writes its failure reply (AIP-017) during the server's graceful phase. Removed on
     * undeploy, so the hook never keeps an undeployed application's class loader.
     */
    private static Thread registerShutdownHook(ServletContext context, Running running,
                                               java.util.concurrent.atomic.AtomicBoolean stopLogged) {
        Thread hook = new Thread(() -> {
            Operations.of(context).ifPresent(Operations::markStopping);
            running.cancelGenerationsAndDrain(REPLY_DRAIN);
            // Payara Micro ends the JVM without undeploying: contextDestroyed never runs there
            if (stopLogged.compareAndSet(false, true)) {
                logStopped("AIP-002 ai-progress stopped (JVM shutdown)");
            }
        }, "ai-progress-shutdown");
        hook.setContextClassLoader(null);
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return hook;
        } catch (IllegalStateException | SecurityException e) {
            LOG.log(System.Logger.Level.DEBUG, "no shutdown hook: " + e);
            return null;
        }
    }

    /**
     * The shutdown line. During a JVM shutdown java.util.logging's own shutdown hook may already
     * have closed the container's log handlers (standalone Jetty, Payara Micro), and the line would
     * vanish: then it also goes to standard error, which the container's log captures.
     */
    private static void logStopped(String line) {
        LOG.log(System.Logger.Level.INFO, line);
        if (jvmShuttingDown()) {
            System.err.println(java.time.Instant.now() + " INFO " + PluginLifecycle.class.getName() + ": " + line);
            System.err.flush();
        }
    }

    /** True while the JVM runs its shutdown hooks (it then refuses new ones). */
    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { }, "ai-progress-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        } catch (SecurityException e) {
            return false;
        }
    }

    private static void removeShutdownHook(Thread hook) {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs or ran already
        } catch (SecurityException e) {
            LOG.log(System.Logger.Level.DEBUG, "shutdown hook not removed: " + e);
        }
    }

    /** A started deployment: the shared parts, and the HTTP services whose gateway and replies a shutdown drains. */
    private record Running(PluginRuntime runtime, HttpServices http) {

        /**
         * The first step of a shutdown: refuses new generations and cancels the running ones (each
         * then writes its failure reply, AIP-017), and waits up to {@code limit} for those replies
         * to be written while the server still holds the connections. Idempotent.
         */
        void cancelGenerationsAndDrain(Duration limit) {
            http.gateway().close();
            try {
                int open = http.awaitRepliesWritten(limit);
                if (open > 0) {
                    LOG.log(System.Logger.Level.WARNING, "AIP-903 " + open
                            + " chat replies were still being written at shutdown");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Builds what runs on the runtime's shared parts, each after what it needs; a failure here
     * closes the runtime and fails the deployment. Everything registers its close with the
     * runtime, so an undeploy stops it last built first.
     */
    private static HttpServices startServices(Config config, PluginRuntime runtime, ServletContext context) {
        // the bus comes first: a Redis that is down fails the deployment before anything listens
        NodeInbox inbox = new NodeInbox();
        ClusterBus bus = ClusterWiring.bus(config, inbox, inbox);
        runtime.closeOnShutdown(bus);
        Hub hub = RealtimeWiring.newHub(config, bus);
        runtime.closeOnShutdown(hub::closeAll);
        // for operators and tests: live sockets and counters (removed on undeploy)
        context.setAttribute(Hub.class.getName(), hub);
        runtime.closeOnShutdown(() -> context.removeAttribute(Hub.class.getName()));
        Operations ops = Operations.start(config.ops(), config.providerNames(), context.getContextPath(),
                hub.counters(), inbox::liveGenerations);
        runtime.closeOnShutdown(ops);
        runtime.closeOnShutdown(() -> context.removeAttribute(Operations.ATTRIBUTE));
        context.setAttribute(Operations.ATTRIBUTE, ops);
        ops.clusterState(bus::state);
        Gateway gateway = GatewayFactory.create(config, runtime, bus::publish, ops.metrics());
        inbox.connect(hub, gateway);
        HttpServices http = new HttpServices(config.http(), config.providers(), runtime.identity(),
                new OriginPolicy(config.auth().origins()), runtime.failedLogins(), gateway, runtime.eventJson(),
                runtime.scheduler());
        context.setAttribute(HttpServices.ATTRIBUTE, http);
        runtime.closeOnShutdown(() -> context.removeAttribute(HttpServices.ATTRIBUTE));
        RealtimeWiring.register(context, config, runtime, hub, gateway, bus).ifPresent(runtime::closeOnShutdown);
        // closed first on undeploy, as before: no generation runs past this point
        runtime.closeOnShutdown(gateway);
        ops.markStarted();
        return http;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        // only the listener that started the runtime stops it
        Running running = started;
        started = null;
        if (running != null) {
            PluginRuntime r = running.runtime();
            removeShutdownHook(shutdownHook);
            shutdownHook = null;
            // readiness goes first: a load balancer stops sending work while the rest shuts down
            Operations.of(context).ifPresent(Operations::markStopping);
            // then the running chats get their failure replies while the connections are still there
            running.cancelGenerationsAndDrain(REPLY_DRAIN);
            if (context.getAttribute(PluginRuntime.ATTRIBUTE) == r) {
                context.removeAttribute(PluginRuntime.ATTRIBUTE);
            }
            r.close();
            if (stopLogged.compareAndSet(false, true)) {
                logStopped("AIP-002 ai-progress stopped");
            }
            // last: nothing of the plugin compares records after this
            ContainerQuirks.releaseJdkRecordMethodCaches();
        }
    }
}
