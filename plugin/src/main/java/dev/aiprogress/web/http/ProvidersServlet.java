package dev.aiprogress.web.http;

import dev.aiprogress.provider.ProviderSettings;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /ai-progress/providers}: the configured providers in fallback order, with their default
 * model and allow-list, for pickers such as the demo page. Never shows keys or URLs.
 */
public final class ProvidersServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpServices services = HttpServices.of(getServletContext());
        List<Map<String, Object>> providers = services.providers().stream().map(ProvidersServlet::describe).toList();
        ReplyBodies.sendMessage(resp, services.eventJson(), ReplyBodies.ordered("providers", providers));
    }

    private static Map<String, Object> describe(ProviderSettings p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("dialect", p.dialect());
        out.put("default_model", p.defaultModel());
        out.put("models", p.models());
        return out;
    }
}
