package dev.aiprogress.web.http;

import dev.aiprogress.gateway.CancelOutcome;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /api/method/ai_assistant.api.cancel} with {@code task_id} (JSON or form). Only the
 * owner may cancel; for anyone else the task does not exist (404), so ids of other users' tasks
 * cannot be probed. The body is read without holding a container thread ({@link BodyBeforeDispatch}).
 */
public final class CancelServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpServices services = HttpServices.of(getServletContext());
        try {
            String user = Users.required(req);
            Optional<RequestBody> read = BodyBeforeDispatch.body(req, resp, services);
            if (read.isEmpty()) {
                return; // reading without holding this thread; the servlet runs again with the body
            }
            JsonObject body = read.get().toJsonObject(ContainerQuirks.contentType(req));
            String taskId = taskId(body);
            CancelOutcome outcome = services.gateway().cancel(taskId, user);
            switch (outcome) {
                case CANCELLED -> ReplyBodies.sendMessage(resp, services.eventJson(),
                        ReplyBodies.ordered("success", true, "task_id", taskId, "status", "cancelled"));
                case ALREADY_FINISHED -> throw new FrappeError(409, FrappeError.VALIDATION,
                        "task '" + taskId + "' has already finished");
                case NOT_FOUND -> throw new FrappeError(404, FrappeError.NOT_FOUND, "no running task '" + taskId + "'");
            }
        } catch (FrappeError e) {
            e.send(resp);
        }
    }

    private static String taskId(JsonObject body) {
        return ChatRequestParser.taskId(body).orElseThrow(() -> FrappeError.badRequest("task_id is required"));
    }
}
