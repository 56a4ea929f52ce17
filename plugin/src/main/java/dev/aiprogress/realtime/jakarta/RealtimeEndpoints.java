package dev.aiprogress.realtime.jakarta;

import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UserLookup;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.aiprogress.realtime.socketio.PollingSessions;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Registers the realtime endpoints on a container: Socket.IO at {@code /socket.io/} and plain JSON
 * at {@code /ai-progress/ws}, and schedules the hub's sweep. The caller owns the scheduler (shared
 * by every socket's heartbeat) and shuts it down on undeploy; {@link #close()} cancels the sweep.
 */
public final class RealtimeEndpoints implements AutoCloseable {

    private final Hub hub;
    private final ScheduledFuture<?> sweep;
    private final PollingSessions polling;
    private final List<EndpointFactory> factories;

    private RealtimeEndpoints(Hub hub, ScheduledFuture<?> sweep, PollingSessions polling, List<EndpointFactory> factories) {
        this.hub = hub;
        this.sweep = sweep;
        this.polling = polling;
        this.factories = factories;
    }

    /**
     * What a registered endpoint configuration makes its endpoints with. The container keeps the
     * configuration for as long as it keeps the context — WildFly, for one, past the undeploy while
     * an idle worker thread still holds the deployment — so it reaches the plugin only through this,
     * and {@link #release()} cuts that at undeploy.
     */
    static final class EndpointFactory implements Supplier<Endpoint> {
        private volatile Supplier<Endpoint> make;

        EndpointFactory(Supplier<Endpoint> make) {
            this.make = make;
        }

        @Override
        public Endpoint get() {
            Supplier<Endpoint> m = make;
            if (m == null) {
                throw new IllegalStateException("ai-progress was undeployed");
            }
            return m.get();
        }

        void release() {
            make = null;
        }
    }

    public static RealtimeEndpoints register(ServerContainer container, Hub hub, UserLookup users, TaskControl tasks,
                                             RealtimeOptions options, ScheduledExecutorService scheduler)
            throws DeploymentException {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(scheduler, "scheduler");
        PollingSessions polling = new PollingSessions(hub, users, tasks, options, scheduler);
        EndpointFactory socketIo = new EndpointFactory(() -> new SocketIoEndpoint(hub, users, tasks, options, polling.origins(), scheduler, polling));
        EndpointFactory plain = new EndpointFactory(() -> new PlainJsonEndpoint(hub, users, tasks, options, polling.origins(), scheduler));
        container.addEndpoint(ServerEndpointConfig.Builder.create(SocketIoEndpoint.class, SocketIoEndpoint.PATH)
                .configurator(new HandshakeConfigurator(options.perMessageDeflate(), socketIo))
                .build());
        container.addEndpoint(ServerEndpointConfig.Builder.create(PlainJsonEndpoint.class, PlainJsonEndpoint.PATH)
                .configurator(new HandshakeConfigurator(options.perMessageDeflate(), plain))
                .build());
        // often enough that a finished task's events leave the heap soon after its window, with no traffic
        long every = Math.max(1_000L, Math.min(Duration.ofSeconds(5).toMillis(), options.replayMaxAge().toMillis() / 4));
        ScheduledFuture<?> sweep = scheduler.scheduleWithFixedDelay(hub::sweep, every, every, TimeUnit.MILLISECONDS);
        return new RealtimeEndpoints(hub, sweep, polling, List.of(socketIo, plain));
    }

    /**
     * The sessions of the HTTP long-polling transport on the same path, for the servlet that serves
     * it ({@code realtime.servlet.PollingServlet}); upgrades reach them through the Socket.IO endpoint.
     */
    public PollingSessions polling() {
        return polling;
    }

    /**
     * Undeploy: cuts the registered endpoint configurations off the plugin, stops the hub's periodic
     * sweep and closes every live socket (1001). The endpoints stay registered until the container
     * drops the context; the caller then shuts down its scheduler.
     */
    @Override
    public void close() {
        factories.forEach(EndpointFactory::release);
        sweep.cancel(false);
        polling.close();
        hub.closeAll();
    }
}
