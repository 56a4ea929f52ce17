package dev.aiprogress.web.http;

import dev.aiprogress.gateway.GenerationObserver;
import dev.aiprogress.gateway.StartRequest;
import dev.aiprogress.gateway.StartResult;
import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.scripted.TestStreamProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/method/ai_assistant.api.test_reasoning_stream}: the seed's check that events reach
 * the user's sockets — five reasoning chunks a second apart, then a completion. Replies at once
 * with the task id; the events go to the realtime connections. No thread waits between chunks.
 */
public final class TestStreamServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpServices services = HttpServices.of(getServletContext());
        try {
            String user = Users.required(req);
            ChatRequest request = ChatRequest.of(TestStreamProvider.NAME,
                    List.of(ChatMessage.of(ChatMessage.Role.USER, "test reasoning stream")));
            StartResult result = services.gateway().start(
                    new StartRequest(user, Optional.of(TestStreamProvider.NAME), request, Optional.empty()),
                    GenerationObserver.NONE);
            if (result instanceof StartResult.Rejected rejected) {
                throw FrappeErrors.forRejection(rejected);
            }
            String taskId = ((StartResult.Started) result).generation().id();
            ReplyBodies.sendMessage(resp, services.eventJson(), ReplyBodies.ordered("success", true, "task_id", taskId));
        } catch (FrappeError e) {
            e.send(resp);
        }
    }
}
