package dev.aiprogress.demo;

import dev.aiprogress.web.config.Config;
import dev.aiprogress.web.config.ConfigSources;
import dev.aiprogress.web.bootstrap.PluginInitializer;
import dev.aiprogress.web.http.SecurityHeadersFilter;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.security.Password;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The plugin on embedded Jetty 12 ee10, registered exactly as a container registers it: its
 * {@code ServletContainerInitializer}, a Jakarta WebSocket container, a login realm with the demo
 * users, the session cookie {@code sid} (SameSite=Lax), all at the root context; the demo page is
 * served from the classpath ({@code demo/}) by Jetty's {@link DefaultServlet}.
 */
public final class DemoServer implements AutoCloseable {

    private static final String PAGE_RESOURCES = "demo/";
    /** Idle timeout of connections and of blocking reads and writes. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** A signed-in session unused this long expires. */
    static final Duration SESSION_TIMEOUT = Duration.ofMinutes(30);

    private final Server server;
    private final URI uri;

    private DemoServer(Server server, URI uri) {
        this.server = server;
        this.uri = uri;
    }

    /** The URL the page is served at, with the real port when 0 was asked for. */
    public URI uri() {
        return uri;
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops Jetty and so the plugin (its listener ends every thread and task). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the demo server failed", e);
        }
    }

    /**
     * Starts the server and prints its URL to {@code out}.
     *
     * @param env the environment: picks the real providers offered (their keys stay {@code ${env:…}})
     * @throws dev.aiprogress.config.ConfigException invalid configuration, before anything listens
     * @throws java.io.IOException                the port cannot be bound
     */
    static DemoServer start(DemoArgs args, Map<String, String> env, PrintStream out) throws Exception {
        Objects.requireNonNull(args, "args");
        Map<String, String> initParams = DemoProviders.defaults(env);
        if (args.configFile() != null) {
            initParams.put(Config.CONFIG_FILE_KEY, args.configFile().toAbsolutePath().toString());
        }
        // The plugin's own parser, with the same sources the plugin will read: a bad key fails here
        // with the plugin's message, and the realm gets ai-progress.demo.users with the same
        // precedence (defaults < --config file < -D system properties) as every other key.
        Config config = Config.from(new ConfigSources(initParams, systemProperties(),
                name -> Optional.ofNullable(env.get(name))));

        Server server = new Server();
        // Stops the context on Ctrl+C, so the plugin's listener ends its threads and cancels tasks.
        server.setStopAtShutdown(true);
        // a graceful phase on stop: open requests get this long to finish before connections close;
        // the plugin's shutdown hook uses it to send running chats their failure reply
        server.setStopTimeout(5_000);
        HttpConfiguration http = new HttpConfiguration();
        // no "Server: Jetty(12.x)" banner for a scanner to match against known bugs
        http.setSendServerVersion(false);
        // a blocked read or write gives up after this (the plugin reads bodies non-blocking under
        // ai-progress.http.body-timeout; this bounds everything else, e.g. a stalled response write)
        http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        // Jetty's per-connection header field cache (tables of ≈ 10 KB each) held most of a live
        // stream's heap: every stream opens its own WebSocket connection, and its few headers
        // gain nothing from a cache
        http.setHeaderCacheSize(0);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(args.host());
        connector.setPort(args.port());
        // a connection that sends nothing (not even a complete request head) is closed after this
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/",
                ServletContextHandler.SESSIONS | ServletContextHandler.SECURITY);
        initParams.forEach(context::setInitParameter);
        context.getSessionHandler().getSessionCookieConfig().setName("sid");
        context.getSessionHandler().setSameSite(HttpCookie.SameSite.LAX);
        context.getSessionHandler().setHttpOnly(true);
        // sessions of users who left expire (Jetty's default is never)
        context.getSessionHandler().setMaxInactiveInterval((int) SESSION_TIMEOUT.toSeconds());
        // TRACE refused and nosniff on everything; the page also gets its CSP
        context.addFilter(SecurityHeadersFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(PageSecurityFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));

        // No constraints: the page and the API decide for themselves; the realm is only there so
        // the plugin's LoginServlet can call request.login(usr, pwd) like in any container.
        ConstraintSecurityHandler security = (ConstraintSecurityHandler) context.getSecurityHandler();
        security.setLoginService(loginService(config.demoUsers()));
        security.setAuthenticator(new LenientBasicAuthenticator());

        JakartaWebSocketServletContainerInitializer.configure(context, null);
        context.addServletContainerInitializer(new PluginInitializer());

        Resource page = ResourceFactory.of(context).newClassLoaderResource(PAGE_RESOURCES);
        if (page == null) {
            throw new IllegalStateException("the demo page (" + PAGE_RESOURCES + ") is missing from the classpath");
        }
        context.setBaseResource(page);
        context.setWelcomeFiles(new String[] {"index.html"});
        ServletHolder statics = new ServletHolder("demo-page", DefaultServlet.class);
        statics.setInitParameter("dirAllowed", "false");
        // the page is small and changes with the jar: always revalidate, never serve a stale app.js
        statics.setInitParameter("cacheControl", "no-cache");
        context.addServlet(statics, "/");

        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        String shownHost = "0.0.0.0".equals(args.host()) || "::".equals(args.host()) ? "localhost" : args.host();
        URI uri = URI.create("http://" + (shownHost.contains(":") ? "[" + shownHost + "]" : shownHost) + ":"
                + connector.getLocalPort() + "/");
        out.println("ai-progress demo serving " + uri);
        out.println("  sign in as: " + String.join(", ", config.demoUsers().passwords().keySet())
                + (config.demoUsers().passwords().equals(Map.of("demo", "demo")) ? " (password demo)" : ""));
        out.println("  providers:  " + String.join(", ", config.providerNames()));
        out.println("  Ctrl+C to stop");
        out.flush();
        return new DemoServer(server, uri);
    }

    static HashLoginService loginService(Config.DemoUsers users) {
        UserStore store = new UserStore();
        users.passwords().forEach((name, password) -> store.addUser(name, new Password(password), new String[] {"user"}));
        HashLoginService service = new HashLoginService("ai-progress-demo");
        service.setUserStore(store);
        return service;
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(Config.PREFIX)) {
                out.put(name, System.getProperty(name));
            }
        }
        return out;
    }
}
