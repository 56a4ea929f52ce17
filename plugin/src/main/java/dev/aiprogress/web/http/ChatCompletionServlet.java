package dev.aiprogress.web.http;

import dev.aiprogress.gateway.GenerationResult;
import dev.aiprogress.gateway.StartRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * {@code POST /api/method/ai_assistant.api.chat_completion} (path configurable) and the extension's
 * agent path. Fully asynchronous: the body is read with non-blocking I/O, the generation runs on
 * the HTTP client's threads, and the reply is written with non-blocking I/O — no thread waits for
 * the model. With {@code Accept: text/event-stream} or {@code "stream": true} the events go out as
 * SSE on the response too, ending with an {@code event: reply} carrying the usual body.
 */
public final class ChatCompletionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Which body and reply shape this servlet speaks. */
    enum Mode { CHAT, AGENT }

    private final Mode mode;

    /** The chat endpoint (for {@code web.xml} declarations). */
    public ChatCompletionServlet() {
        this(Mode.CHAT);
    }

    ChatCompletionServlet(Mode mode) {
        this.mode = mode;
    }

    /** The agent endpoint ({@code vscode_extension.agent}), for {@code web.xml} declarations. */
    public static final class Agent extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final ChatCompletionServlet delegate = new ChatCompletionServlet(Mode.AGENT);

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            delegate.handle(getServletContext(), req, resp);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle(getServletContext(), req, resp);
    }

    private void handle(jakarta.servlet.ServletContext context, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        HttpServices services = HttpServices.of(context);
        ChatRequestParser parser = services.chatRequestParser();
        AsyncContext async = req.startAsync();
        ContainerQuirks.reserveAsyncListener(async);
        // Tomcat's default is 30 s; generations can run for many minutes
        async.setTimeout(services.options().asyncTimeout().toMillis());
        AsyncBodyReader.read(req, parser.maxBodyBytes(), services.scheduler(), services.options().bodyTimeout())
                .whenComplete((body, failure) -> {
            try {
                if (failure != null) {
                    throw unwrap(failure);
                }
                // the agent speaks {prompt, conversation_id, context, api_key}, not {messages}
                ChatCall call = mode == Mode.AGENT
                        ? parser.parseAgent(body.toJsonObject(ContainerQuirks.contentType(req)))
                        : parser.parseChat(body, ContainerQuirks.contentType(req));
                String user = mode == Mode.AGENT
                        ? Users.requiredWithApiKey(req, call, services.identity())
                        : Users.required(req);
                boolean sse = call.stream() || acceptsEventStream(req);
                StartRequest start = new StartRequest(user, call.provider(), call.request(), call.taskId());
                Function<GenerationResult, Object> reply = mode == Mode.AGENT
                        ? result -> ReplyBodies.agentReply(result, call.conversationId())
                        : result -> ReplyBodies.chatReply(result, call.conversationId());
                ChatExchange.start(services, async, start, sse, reply);
            } catch (FrappeError e) {
                BodyBeforeDispatch.sendAndComplete(async, resp, e);
            } catch (IOException | RuntimeException e) {
                // the exception goes to the server log only (the class name alone once hid a Payara bug);
                // the client gets a fixed sentence, never a stack trace
                System.getLogger(ChatCompletionServlet.class.getName()).log(System.Logger.Level.WARNING,
                        "AIP-022 chat request failed before streaming", e);
                BodyBeforeDispatch.sendAndComplete(async, resp, new FrappeError(500, "InternalError", "the request could not be processed"));
            }
        });
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof FrappeError frappe) {
            if (frappe.status() == AsyncBodyReader.TIMEOUT_STATUS) {
                BodyBeforeDispatch.SLOW_BODIES.noteSlowBody();
            }
            return frappe;
        }
        return FrappeError.badRequest("the request body could not be read: " + cause.getClass().getSimpleName());
    }


    static boolean acceptsEventStream(HttpServletRequest req) {
        String accept = req.getHeader("Accept");
        return accept != null && accept.contains("text/event-stream");
    }
}
