package dev.aiprogress.web.ops;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /ai-progress/metrics}: Prometheus text format. 404 unless
 * {@code ai-progress.metrics.enabled=true}; 403 unless the caller has the container role
 * {@code ai-progress.metrics.role} (default {@code ai-progress-admin}, via
 * {@code request.isUserInRole}). The body comes from Micrometer's Prometheus registry when it is
 * used, else from the plugin's own writer; the header {@code X-AI-Progress-Metrics} says which.
 */
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object attribute = getServletContext().getAttribute(Operations.ATTRIBUTE);
        if (!(attribute instanceof Operations ops) || !ops.settings().metricsEnabled()) {
            plain(resp, HttpServletResponse.SC_NOT_FOUND, "Not found.\n");
            return;
        }
        if (!req.isUserInRole(ops.settings().metricsRole())) {
            plain(resp, HttpServletResponse.SC_FORBIDDEN, "The metrics need the role '" + ops.settings().metricsRole()
                    + "'.\n");
            return;
        }
        String body = ops.scrape();
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-AI-Progress-Metrics", ops.backend());
        resp.setContentType(ops.contentType());
        resp.getWriter().write(body);
    }

    private static void plain(HttpServletResponse resp, int status, String text) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(text);
    }
}
