package dev.aiprogress.web;

import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.gateway.Gateway;
import dev.aiprogress.gateway.Generation;
import dev.aiprogress.gateway.GenerationObserver;
import dev.aiprogress.gateway.GenerationResult;
import dev.aiprogress.gateway.StartRequest;
import dev.aiprogress.gateway.StartResult;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * One chat request from accepted to replied: starts the generation, streams its events as SSE when
 * asked, and writes the final reply. A client that goes away, or the async timeout, cancels the
 * generation, which closes the upstream connection.
 */
final class ChatExchange implements GenerationObserver, NonBlockingReply.Events {

    private static final System.Logger LOG = System.getLogger(ChatExchange.class.getName());

    private final PluginRuntime runtime;
    private final boolean sse;
    private final Function<GenerationResult, Object> replyMessage;
    /** Set before the generation starts, read on the generation's threads. */
    private volatile NonBlockingReply reply;
    private volatile Generation generation;
    private volatile boolean clientGone;

    private ChatExchange(PluginRuntime runtime, boolean sse, Function<GenerationResult, Object> replyMessage) {
        this.runtime = runtime;
        this.sse = sse;
        this.replyMessage = replyMessage;
    }

    /**
     * Starts the generation and takes over the response. Rejections (unknown provider, duplicate task,
     * too many generations...) are written as Frappe errors with their status.
     *
     * @param replyMessage turns the result into the {@code message} of the reply
     */
    static void start(PluginRuntime runtime, AsyncContext async, StartRequest start, boolean sse,
                      Function<GenerationResult, Object> replyMessage) throws IOException {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        response.setStatus(200);
        response.setCharacterEncoding("UTF-8");
        if (sse) {
            response.setContentType("text/event-stream");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
        } else {
            response.setContentType("application/json");
        }
        ChatExchange exchange = new ChatExchange(runtime, sse, replyMessage);
        exchange.reply = NonBlockingReply.start(async, exchange, sse ? ": keep-alive\n\n" : " ",
                runtime.config().http().maxBufferedBytes());
        Gateway gateway = runtime.gateway();
        StartResult result = gateway.start(start, exchange);
        if (result instanceof StartResult.Rejected rejected) {
            // nothing was written yet: the status and type can still change
            FrappeError error = FrappeErrors.forRejection(rejected);
            response.setStatus(error.status());
            response.setContentType("application/json");
            exchange.reply.finish(error.body());
            return;
        }
        Generation started = ((StartResult.Started) result).generation();
        exchange.generation = started;
        // a shutdown waits a moment for this reply (InFlightReplies), so the client gets its failure reply
        runtime.inFlightReplies().opened();
        exchange.reply.whenDone(runtime.inFlightReplies()::closed);
        // only now: a heartbeat commits the 200, which a rejection above must still be able to replace
        exchange.reply.startHeartbeat(runtime.scheduler(), runtime.config().http().heartbeat());
        if (exchange.clientGone) {
            started.cancel();
        }
    }

    @Override
    public void onEvent(ProgressEvent event) {
        if (sse) {
            reply.write(ReplyBodies.sseEvent(event));
        }
    }

    @Override
    public void onFinished(GenerationResult result) {
        String body;
        try {
            body = ReplyBodies.message(runtime.eventJson(), replyMessage.apply(result));
        } catch (RuntimeException e) {
            // without a reply the client would wait for the async timeout (30 minutes by default)
            LOG.log(System.Logger.Level.ERROR, "AIP-021 task " + result.taskId() + ": the reply could not be built", e);
            body = "{\"message\":{\"success\":false,\"error\":\"the reply could not be built\",\"code\":\"AIP-021\","
                    + "\"task_id\":\"" + result.taskId() + "\"}}";
        }
        reply.finish(sse ? ReplyBodies.sseReply(body) : body);
    }

    /**
     * Hands the cancel to the plugin's scheduler: this is called on the thread whose {@link #onEvent}
     * write failed, which holds the generation's lock, and cancelling takes the upstream stream's lock
     * — taken before the generation's by the I/O thread delivering the next chunk. Inline, a flush
     * from the emit-interval timer and a chunk arriving at once would deadlock.
     */
    @Override
    public void onClientGone(Throwable cause) {
        clientGone = true;
        try {
            runtime.scheduler().execute(() -> cancelForClientGone(cause));
        } catch (RejectedExecutionException shuttingDown) {
            // undeploy: the gateway cancels every generation itself
        }
    }

    private void cancelForClientGone(Throwable cause) {
        Generation current = generation;
        if (current != null && current.cancel()) {
            if (cause instanceof NonBlockingReply.SlowClient) {
                LOG.log(System.Logger.Level.INFO, "AIP-024 task " + current.id() + ": " + cause.getMessage()
                        + "; reply ended, task cancelled");
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "task " + current.id() + ": client went away, cancelled");
            }
        }
    }

    @Override
    public void onAsyncTimeout() {
        Generation current = generation;
        if (current != null) {
            LOG.log(System.Logger.Level.WARNING, "AIP-020 task " + current.id()
                    + ": ai-progress.async-timeout reached, cancelling");
            current.cancel();
        }
    }
}
