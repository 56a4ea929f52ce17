package dev.aiprogress.web.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Runs first on every plugin path: refuses {@code TRACE} with 405 ({@code HttpServlet.doTrace}
 * would echo the request's headers, {@code Cookie} and {@code Authorization} included, into a 200
 * body) and marks every reply {@code X-Content-Type-Options: nosniff}, so a browser never reads a
 * JSON reply as something else. Public so an application (the demo) can map it on its own pages too.
 */
public final class SecurityHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        if ("TRACE".equalsIgnoreCase(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
            new FrappeError(405, "MethodNotAllowedError", "TRACE is not allowed").send(response);
            return;
        }
        chain.doFilter(request, response);
    }
}
