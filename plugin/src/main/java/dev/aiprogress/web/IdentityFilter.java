package dev.aiprogress.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/**
 * Runs before every plugin servlet: refuses foreign-origin POSTs (403), resolves the user
 * ({@link Identity}) into the request attribute {@link Identity#USER_ATTRIBUTE}, and answers 401
 * with a Frappe body when a protected path has no user. Async-supported (the chat servlets are async).
 */
public final class IdentityFilter extends HttpFilter {

    private static final System.Logger LOG = System.getLogger(IdentityFilter.class.getName());

    private transient PluginRuntime runtime;
    private transient OriginPolicy origins;

    @Override
    public void init() throws ServletException {
        runtime = PluginRuntime.of(getServletContext());
        origins = new OriginPolicy(runtime.config().origins());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!origins.allows(request)) {
            LOG.log(System.Logger.Level.DEBUG, "refused a POST from a foreign origin");
            FrappeError.forbidden("cross-origin request refused: origin '" + request.getHeader("Origin")
                    + "' is not allowed").send(response);
            return;
        }
        Optional<String> user = runtime.identity().resolve(request);
        if (user.isPresent()) {
            request.setAttribute(Identity.USER_ATTRIBUTE, user.get());
        } else if (!PluginPaths.OPEN.contains(pathOf(request)) && !PluginPaths.BODY_AUTHENTICATED.contains(pathOf(request))) {
            String header = request.getHeader("Authorization");
            String message = header != null && header.regionMatches(true, 0, "token ", 0, 6)
                    ? "Invalid API token" : "Not logged in: log in or send Authorization: token <key>:<secret>";
            FrappeError.unauthorized(message).send(response);
            return;
        }
        chain.doFilter(request, response);
    }

    private static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String info = request.getPathInfo();
        return info == null ? servletPath : servletPath + info;
    }
}
