package dev.aiprogress.testsupport;

import dev.aiprogress.web.bootstrap.PluginInitializer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.security.Password;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The plugin in a real Jetty 12 ee10 server, registered the way a container registers it (its
 * {@code ServletContainerInitializer}), at the root context, on an ephemeral port:
 * <pre>
 * try (EmbeddedJetty jetty = EmbeddedJetty.builder().initParam("ai-progress.auth.allow-guest", "true").start()) {
 *     HttpClient client = jetty.newClient();          // own CookieManager: one browser
 *     HttpResponse&lt;String&gt; r = jetty.login(client, "demo", "demo");
 *     jetty.get(client, "/api/method/frappe.auth.get_logged_user");
 * }
 * </pre>
 * Sessions use the cookie name {@code sid}; a {@link HashLoginService} realm (with a {@link LenientBasicAuthenticator}) holds the users (default
 * {@code demo:demo}), with no constraints so {@code request.login} works; the Jakarta WebSocket
 * container is initialised so the plugin can register endpoints.
 */
public final class EmbeddedJetty implements AutoCloseable {

    private final Server server;
    private final ServletContextHandler context;
    private final URI baseUri;

    private EmbeddedJetty(Server server, ServletContextHandler context, URI baseUri) {
        this.server = server;
        this.context = context;
        this.baseUri = baseUri;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, String> initParams = new LinkedHashMap<>();
        private final Map<String, String> users = new LinkedHashMap<>(Map.of("demo", "demo"));
        private boolean plugin = true;
        private Consumer<ServletContextHandler> customizer = c -> { };
        private Consumer<ServerConnector> connectorCustomizer = c -> { };
        private int maxThreads;

        private Builder() {
        }

        /** A servlet context init param, as {@code web.xml} would set it. */
        public Builder initParam(String name, String value) {
            initParams.put(name, value);
            return this;
        }

        /** Replaces the realm's users (default {@code demo:demo}). */
        public Builder users(Map<String, String> namesToPasswords) {
            users.clear();
            users.putAll(namesToPasswords);
            return this;
        }

        /** Leaves the plugin's initializer out (for tests that register by hand). */
        public Builder withoutPlugin() {
            plugin = false;
            return this;
        }

        /** Extra servlets, filters or listeners, added before start. */
        public Builder customize(Consumer<ServletContextHandler> extra) {
            customizer = customizer.andThen(extra);
            return this;
        }

        /** Socket options of the connector, e.g. a small {@code setAcceptedSendBufferSize} so a client that stops reading backs up quickly. */
        public Builder connector(Consumer<ServerConnector> extra) {
            connectorCustomizer = connectorCustomizer.andThen(extra);
            return this;
        }

        /** A server thread pool of this many threads (default: Jetty's 200), so a test can exhaust it cheaply. */
        public Builder maxThreads(int threads) {
            maxThreads = threads;
            return this;
        }

        public EmbeddedJetty start() throws Exception {
            Server server = maxThreads > 0 ? new Server(new QueuedThreadPool(maxThreads, Math.min(8, maxThreads)))
                    : new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            connectorCustomizer.accept(connector);
            server.addConnector(connector);

            ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.SESSIONS | ServletContextHandler.SECURITY);
            context.getSessionHandler().getSessionCookieConfig().setName("sid");
            initParams.forEach(context::setInitParameter);

            UserStore store = new UserStore();
            users.forEach((name, password) -> store.addUser(name, new Password(password), new String[] {"user"}));
            HashLoginService realm = new HashLoginService("ai-progress-test");
            realm.setUserStore(store);
            ConstraintSecurityHandler security = (ConstraintSecurityHandler) context.getSecurityHandler();
            security.setLoginService(realm);
            security.setAuthenticator(new LenientBasicAuthenticator());

            JakartaWebSocketServletContainerInitializer.configure(context, null);
            if (plugin) {
                context.addServletContainerInitializer(new PluginInitializer());
            }
            customizer.accept(context);
            server.setHandler(context);
            try {
                server.start();
            } catch (Exception e) {
                server.stop();
                throw e;
            }
            return new EmbeddedJetty(server, context, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/"));
        }
    }

    public URI baseUri() {
        return baseUri;
    }

    public URI uri(String path) {
        return baseUri.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    public ServletContextHandler context() {
        return context;
    }

    /** A client that keeps its own cookies (one "browser"); HTTP/1.1. */
    public HttpClient newClient() {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public HttpResponse<String> login(HttpClient client, String user, String password) throws Exception {
        return postForm(client, "/api/method/login", "usr=" + enc(user) + "&pwd=" + enc(password));
    }

    public HttpResponse<String> get(HttpClient client, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postForm(HttpClient client, String path, String form, String... headers) throws Exception {
        return post(client, path, "application/x-www-form-urlencoded", form, headers);
    }

    public HttpResponse<String> postJson(HttpClient client, String path, String json, String... headers) throws Exception {
        return post(client, path, "application/json", json, headers);
    }

    public HttpResponse<String> post(HttpClient client, String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(Objects.requireNonNull(s), StandardCharsets.UTF_8);
    }

    /** Stops the context only (an undeploy), leaving the server up. */
    public void undeploy() throws Exception {
        context.stop();
    }

    public void stop() throws Exception {
        server.stop();
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
