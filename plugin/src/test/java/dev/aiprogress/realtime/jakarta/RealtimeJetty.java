package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.event.EventJson;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UserLookup;
import dev.aiprogress.realtime.servlet.PollingServlet;
import dev.aiprogress.realtime.socketio.PollingSessions;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Embedded Jetty 12 ee10 at the root context with the realtime endpoints registered exactly as the
 * web layer will: a test {@link UserLookup} maps session id {@code sid-<name>} to user
 * {@code <name>} (so each test can use its own user) and the token {@code key:secret} to user
 * {@code tokenuser}.
 */
public final class RealtimeJetty implements AutoCloseable {

    public final Hub hub;
    public final EventJson json = new EventJson();
    private final Server server = new Server();
    private final ScheduledExecutorService scheduler;
    private RealtimeEndpoints endpoints;

    public RealtimeJetty(RealtimeOptions options, TaskControl tasks) throws Exception {
        this(options, tasks, newScheduler());
    }

    /** With the given timers, e.g. a manual clock for heartbeat tests. */
    public RealtimeJetty(RealtimeOptions options, TaskControl tasks, ScheduledExecutorService scheduler) throws Exception {
        this.scheduler = scheduler;
        hub = Hub.singleNode(json::toJson, options);
        UserLookup users = new UserLookup() {
            @Override
            public Optional<String> userForSession(String sessionId) {
                return sessionId.startsWith("sid-") ? Optional.of(sessionId.substring(4)) : Optional.empty();
            }

            @Override
            public Optional<String> userForToken(String keyAndSecret) {
                return "key:secret".equals(keyAndSecret) ? Optional.of("tokenuser") : Optional.empty();
            }
        };
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            endpoints = RealtimeEndpoints.register(container, hub, users, tasks, options, scheduler);
            servletContext.setAttribute(PollingServlet.ATTRIBUTE, endpoints.polling());
        });
        // HTTP long-polling on the same path, as the plugin's initializer registers it
        context.addServlet(PollingServlet.class, PollingServlet.MAPPING).setAsyncSupported(true);
        server.setHandler(context);
        server.start();
    }

    private static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    /** The live long-polling sessions. */
    public PollingSessions polling() {
        return endpoints.polling();
    }

    public String httpUrl(String pathAndQuery) {
        return "http://127.0.0.1:" + port() + pathAndQuery;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public String wsUrl(String pathAndQuery) {
        return "ws://127.0.0.1:" + port() + pathAndQuery;
    }

    @Override
    public void close() throws Exception {
        if (endpoints != null) {
            endpoints.close();
        }
        server.stop();
        scheduler.shutdownNow();
        json.close();
    }

}
