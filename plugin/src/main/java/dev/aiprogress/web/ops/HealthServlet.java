package dev.aiprogress.web.ops;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * {@code GET /ai-progress/health}, open to anyone (no secrets, no messages):
 * <pre>{"status":"UP","live":true,"ready":true,"providers":{"openai":{"last_outcome":"ok","last_error_code":null,"at":"2026-11-24T10:15:30.123Z"}},"cluster":"local"}</pre>
 * 200 when this node is ready, 503 (status {@code DOWN}) when not: the plugin is not running
 * (deployment failed, still starting, shutting down or undeployed) or the cluster bus is down.
 * Provider outcomes are information only, unless the operator opted in with
 * {@code ai-progress.health.ready-on-provider-failures} ({@link Operations#health()}). Providers are
 * never called for a probe.
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Looked up once: {@code Json.create…} would run the service lookup on every probe. */
    private transient JsonProvider json;

    @Override
    public void init() {
        json = JsonProvider.provider();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object attribute = getServletContext().getAttribute(Operations.ATTRIBUTE);
        JsonObjectBuilder body = json.createObjectBuilder();
        boolean ready;
        if (attribute instanceof Operations ops) {
            Operations.Health h = ops.health();
            ready = h.ready();
            JsonObjectBuilder providers = json.createObjectBuilder();
            h.providers().forEach((name, last) -> {
                JsonObjectBuilder p = json.createObjectBuilder().add("last_outcome", last.outcome());
                if (last.errorCode().isPresent()) {
                    p.add("last_error_code", last.errorCode().get());
                } else {
                    p.addNull("last_error_code");
                }
                if (last.at().isPresent()) {
                    p.add("at", DateTimeFormatter.ISO_INSTANT.format(last.at().get().truncatedTo(ChronoUnit.MILLIS)));
                } else {
                    p.addNull("at");
                }
                providers.add(name, p);
            });
            body.add("status", ready ? "UP" : "DOWN").add("live", true).add("ready", ready)
                    .add("providers", providers).add("cluster", h.cluster());
        } else {
            ready = false;
            body.add("status", "DOWN").add("live", true).add("ready", false)
                    .add("providers", json.createObjectBuilder()).add("cluster", "unknown");
        }
        resp.setStatus(ready ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(body.build().toString());
    }
}
