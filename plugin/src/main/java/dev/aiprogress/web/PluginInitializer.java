package dev.aiprogress.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;

import dev.aiprogress.realtime.servlet.PollingServlet;
import dev.aiprogress.web.ops.HealthServlet;
import dev.aiprogress.web.ops.MetricsServlet;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The container finds this through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}
 * and registers the plugin: session listener, lifecycle listener, identity filter, servlets — unless
 * {@code ai-progress.register=false}, when a {@code web.xml} declares what it wants itself.
 * Invalid configuration fails the deployment here, with the message naming the key.
 */
public final class PluginInitializer implements ServletContainerInitializer {

    private static final System.Logger LOG = System.getLogger(PluginInitializer.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        Config config;
        try {
            config = Config.from(ConfigSources.of(context));
        } catch (ConfigException e) {
            LOG.log(System.Logger.Level.ERROR, "AIP-001 ai-progress configuration is invalid: " + e.getMessage());
            throw e;
        }
        if (!config.register()) {
            LOG.log(System.Logger.Level.INFO, "ai-progress.register=false: nothing registered automatically");
            return;
        }
        SessionRegistry sessions = new SessionRegistry();
        context.addListener(sessions);
        context.addListener(new PluginLifecycle(config, sessions));
        lenientSameSite(context);

        // null = already registered under that name: the same context started again (an embedded
        // server's stop/start keeps its registrations); the servlets look the runtime up per request
        FilterRegistration.Dynamic headers = context.addFilter("ai-progress-security-headers", SecurityHeadersFilter.class);
        if (headers != null) {
            headers.setAsyncSupported(true);
            List<String> every = new java.util.ArrayList<>(PluginPaths.filtered(config));
            every.addAll(List.of(PluginPaths.HEALTH, PluginPaths.METRICS));
            headers.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, every.toArray(String[]::new));
        }
        FilterRegistration.Dynamic filter = context.addFilter("ai-progress-identity", IdentityFilter.class);
        if (filter != null) {
            filter.setAsyncSupported(true);
            // after the application's own filters: an app login filter may set the session attribute first
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true,
                    PluginPaths.filtered(config).toArray(String[]::new));
        }

        ServletRegistration.Dynamic login = context.addServlet("ai-progress-login", LoginServlet.class);
        if (login != null) {
            login.setAsyncSupported(true);
            login.addMapping(PluginPaths.LOGIN, PluginPaths.LOGOUT, PluginPaths.LOGGED_USER);
        }

        long asyncTimeout = config.asyncTimeout().toMillis();
        addAsyncServlet(context, "ai-progress-chat", new ChatCompletionServlet(), config.chatPath());
        addAsyncServlet(context, "ai-progress-agent", new ChatCompletionServlet.Agent(), PluginPaths.AGENT);
        addAsyncServlet(context, "ai-progress-cancel", new CancelServlet(), PluginPaths.CANCEL);
        addAsyncServlet(context, "ai-progress-test-stream", new TestStreamServlet(), PluginPaths.TEST_STREAM);
        addAsyncServlet(context, "ai-progress-providers", new ProvidersServlet(), PluginPaths.PROVIDERS);
        addAsyncServlet(context, "ai-progress-metrics", new MetricsServlet(), PluginPaths.METRICS);
        addAsyncServlet(context, "ai-progress-health", new HealthServlet(), PluginPaths.HEALTH);
        // Engine.IO long-polling beside the Socket.IO WebSocket endpoint on the same path
        addAsyncServlet(context, "ai-progress-socketio-polling", new PollingServlet(), PollingServlet.MAPPING);
        LOG.log(System.Logger.Level.DEBUG, () -> "ai-progress servlets registered; async timeout " + asyncTimeout + " ms");
    }

    private static void addAsyncServlet(ServletContext context, String name, jakarta.servlet.Servlet servlet, String path) {
        ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
        if (registration != null) {
            registration.setAsyncSupported(true);
            registration.addMapping(path);
        }
    }

    /** Session cookie {@code SameSite=Lax}, unless the application chose otherwise (docs/CLIENT-PROTOCOL.md, "Deployment the client needs"). */
    private static void lenientSameSite(ServletContext context) {
        try {
            if (context.getSessionCookieConfig().getAttribute("SameSite") == null) {
                context.getSessionCookieConfig().setAttribute("SameSite", "Lax");
            }
        } catch (IllegalStateException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "session cookie SameSite left to the container");
        }
    }
}
