package dev.aiprogress.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import dev.aiprogress.cluster.ClusterBus;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.web.ops.Operations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Builds the {@link PluginRuntime} when the web application starts and closes it when it stops
 * (DESIGN.md §6). Added by {@link PluginInitializer}; a {@code web.xml} that turned
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
        LOG.log(System.Logger.Level.INFO, "AIP-000 ai-progress started: " + config.summary());
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
            if (context.getAttribute(PluginRuntime.ATTRIBUTE) == r) {
                context.removeAttribute(PluginRuntime.ATTRIBUTE);
            }
            r.close();
            LOG.log(System.Logger.Level.INFO, "AIP-002 ai-progress stopped");
        }
    }
}
