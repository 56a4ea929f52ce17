package dev.aiprogress.web.bootstrap;

import dev.aiprogress.auth.Guests;
import dev.aiprogress.cluster.ClusterBus;
import dev.aiprogress.event.EventWriter;
import dev.aiprogress.gateway.CancelOutcome;
import dev.aiprogress.gateway.Gateway;
import dev.aiprogress.realtime.Hub;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.UserLookup;
import dev.aiprogress.realtime.jakarta.RealtimeEndpoints;
import dev.aiprogress.realtime.servlet.PollingServlet;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.web.config.Config;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import java.util.List;
import java.util.Optional;

/** Connects the realtime side to the web layer: who a socket belongs to, and control over own tasks. */
final class RealtimeWiring {

    private static final System.Logger LOG = System.getLogger(RealtimeWiring.class.getName());

    private RealtimeWiring() {
    }

    /** A hub that tells the cluster bus which users have sockets on this node, and reads its shared window for a user's first socket here. */
    static Hub newHub(Config config, ClusterBus bus) {
        // on many nodes every Socket.IO offset says how far its socket got, so any node can recover it
        return new Hub(EventWriter::toJson, config.realtime(), System::nanoTime, bus, bus::recentEvents,
                config.redisUri().isPresent());
    }

    /**
     * Registers {@code /socket.io/} and {@code /ai-progress/ws}. A container without Jakarta
     * WebSocket still serves the HTTP endpoints (SSE works); that is logged, not fatal. A cancel for a task that does not run here is forwarded to the
     * other nodes (the running node checks the owner) and answered {@code false} here, since this
     * node cannot know the outcome; the task's {@code error} event confirms a cancel.
     */
    static Optional<RealtimeEndpoints> register(ServletContext context, Config config, PluginRuntime runtime, Hub hub,
                                                Gateway gateway, ClusterBus bus) {
        Object attribute = context.getAttribute(ServerContainer.class.getName());
        if (!(attribute instanceof ServerContainer container)) {
            LOG.log(System.Logger.Level.WARNING, "AIP-005 no Jakarta WebSocket container in this context: "
                    + "realtime endpoints are off, HTTP and SSE still work");
            return Optional.empty();
        }
        UserLookup users = new UserLookup() {
            @Override
            public Optional<String> userForSession(String sessionId) {
                return runtime.sessions().userForSessionId(sessionId);
            }

            @Override
            public Optional<String> userForToken(String keyAndSecret) {
                return runtime.tokens().userFor(keyAndSecret);
            }

            @Override
            public Runnable whenSessionEnds(String sessionId, Runnable action) {
                return runtime.sessions().whenSessionEnds(sessionId, action);
            }

            @Override
            public Optional<String> newGuest() {
                return config.auth().allowGuest() ? Optional.of(Guests.newId()) : Optional.empty();
            }
        };
        TaskControl tasks = new TaskControl() {
            @Override
            public boolean cancel(String userId, String taskId) {
                CancelOutcome outcome = gateway.cancel(taskId, userId);
                if (outcome == CancelOutcome.NOT_FOUND) {
                    bus.requestCancel(userId, taskId);
                }
                return outcome == CancelOutcome.CANCELLED;
            }

            @Override
            public Optional<List<ProgressEvent>> eventsAfter(String userId, String taskId, long afterSeq) {
                // the user's replay window on this node: every task of theirs published here, or seen from
                // another node since this node had a socket of theirs
                Optional<List<ProgressEvent>> here = hub.taskEventsAfter(userId, taskId, afterSeq);
                if (here.isPresent()) {
                    return here;
                }
                // a task that runs (or ran) on another node: the shared replay window, the user's own events only
                List<ProgressEvent> ofTask = bus.recentEvents(userId).stream()
                        .filter(e -> e.taskId().equals(taskId)).toList();
                if (ofTask.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(ofTask.stream().filter(e -> e.seq() > afterSeq).toList());
            }
        };
        try {
            RealtimeEndpoints endpoints = RealtimeEndpoints.register(container, hub, users, tasks, config.realtime(),
                    runtime.scheduler());
            // the long-polling servlet finds its sessions here; gone again on undeploy
            context.setAttribute(PollingServlet.ATTRIBUTE, endpoints.polling());
            runtime.closeOnShutdown(() -> context.removeAttribute(PollingServlet.ATTRIBUTE));
            return Optional.of(endpoints);
        } catch (DeploymentException e) {
            throw new IllegalStateException("AIP-006 could not register the realtime endpoints: " + e.getMessage(), e);
        }
    }
}
