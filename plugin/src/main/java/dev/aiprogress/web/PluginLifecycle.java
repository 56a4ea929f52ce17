package dev.aiprogress.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import dev.aiprogress.cluster.ClusterBus;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.web.ops.Operations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

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

    /** The runtime this listener started; closed by its {@code contextDestroyed}. */
    private volatile PluginRuntime started;
    /** Registered while the runtime runs; removed by {@code contextDestroyed}. */
    private volatile Thread shutdownHook;
    /** AIP-002 is logged once per runtime: by {@code contextDestroyed}, or by the JVM hook when the container never undeploys. */
    private final java.util.concurrent.atomic.AtomicBoolean stopLogged = new java.util.concurrent.atomic.AtomicBoolean();

    /** How long a shutdown waits for the failure replies of the generations it cancelled. */
    static final Duration REPLY_DRAIN = Duration.ofSeconds(5);

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
        List<TokenVerifier> verifiers;
        try {
            config = preparsed.orElseGet(() -> Config.from(ConfigSources.of(context)));
            verifiers = tokenVerifiers(config, context);
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
            runtime = new PluginRuntime(config, sessions, verifiers);
        } catch (jakarta.json.JsonException | jakarta.json.bind.JsonbException e) {
            LOG.log(System.Logger.Level.ERROR, "AIP-004 no JSON-P/JSON-B implementation found: on Tomcat and Jetty put "
                    + "jakarta.json-api, parsson, jakarta.json.bind-api and yasson beside the plugin jar in WEB-INF/lib", e);
            throw e;
        }
        context.setAttribute(PluginRuntime.ATTRIBUTE, runtime);
        started = runtime;
        try {
            startServices(config, runtime, context);
        } catch (RuntimeException e) {
            context.removeAttribute(PluginRuntime.ATTRIBUTE);
            started = null;
            runtime.close();
            throw e;
        }
        stopLogged.set(false);
        shutdownHook = registerShutdownHook(context, runtime, stopLogged);
        LOG.log(System.Logger.Level.INFO, "AIP-000 ai-progress started: " + config.summary());
    }

    /**
     * A JVM shutdown hook (SIGTERM) that cancels the running generations at once, while the server
     * still holds its connections: containers close connections before (Jetty) or while (Tomcat)
     * they stop the application, and a chat call cut there would get an empty 200. Cancelled, each
     * generation writes its failure reply (AIP-017) during the server's graceful phase. Removed on
     * undeploy, so the hook never keeps an undeployed application's class loader.
     */
    private static Thread registerShutdownHook(ServletContext context, PluginRuntime runtime,
                                               java.util.concurrent.atomic.AtomicBoolean stopLogged) {
        Thread hook = new Thread(() -> {
            Operations.of(context).ifPresent(Operations::markStopping);
            runtime.cancelGenerationsAndDrain(REPLY_DRAIN);
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

    /** What runs on the runtime's shared parts; a failure here closes the runtime and fails the deployment. */
    private static void startServices(Config config, PluginRuntime runtime, ServletContext context) {
        // the bus comes first (a Redis that is down fails the deployment before anything listens);
        // it delivers to the hub, which exists before any socket can make the bus subscribe
        Hub[] hub = new Hub[1];
        ClusterBus bus = ClusterWiring.bus(config, new ClusterBus.Delivery() {
            @Override
            public void deliver(String user, ProgressEvent e) {
                hub[0].publish(user, e);
            }

            @Override
            public boolean deliverIfNewer(String user, ProgressEvent e) {
                return hub[0].publishIfNewer(user, e);
            }
        }, (user, taskId) -> runtime.gateway().cancel(taskId, user));
        runtime.closeOnShutdown(bus);
        hub[0] = RealtimeWiring.newHub(config, bus);
        runtime.closeOnShutdown(hub[0]::closeAll);
        // for operators and tests: live sockets and counters (removed on undeploy)
        context.setAttribute(Hub.class.getName(), hub[0]);
        runtime.closeOnShutdown(() -> context.removeAttribute(Hub.class.getName()));
        Operations ops = Operations.start(config, context.getContextPath(), hub[0].counters(),
                () -> runtime.gateway().tasks().liveCount());
        runtime.closeOnShutdown(ops);
        runtime.closeOnShutdown(() -> context.removeAttribute(Operations.ATTRIBUTE));
        context.setAttribute(Operations.ATTRIBUTE, ops);
        ops.clusterState(bus::state);
        RealtimeWiring.register(context, config, runtime, hub[0], runtime::gateway, bus)
                .ifPresent(runtime::closeOnShutdown);
        runtime.installGateway(GatewayFactory.create(config, runtime, bus::publish, ops.metrics()));
        ops.markStarted();
    }

    private static List<TokenVerifier> tokenVerifiers(Config config, ServletContext context) {
        List<TokenVerifier> verifiers = new ArrayList<>();
        config.auth().tokensFile().ifPresent(file ->
                verifiers.add(FileTokenVerifier.read(file, Config.PREFIX + "auth.tokens-file")));
        for (TokenVerifier verifier : ServiceLoader.load(TokenVerifier.class, context.getClassLoader())) {
            verifiers.add(verifier);
        }
        return verifiers;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        // only the listener that started the runtime stops it
        PluginRuntime r = started;
        started = null;
        if (r != null) {
            removeShutdownHook(shutdownHook);
            shutdownHook = null;
            // readiness goes first: a load balancer stops sending work while the rest shuts down
            Operations.of(context).ifPresent(Operations::markStopping);
            // then the running chats get their failure replies while the connections are still there
            r.cancelGenerationsAndDrain(REPLY_DRAIN);
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
