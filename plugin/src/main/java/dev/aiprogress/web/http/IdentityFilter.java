package dev.aiprogress.web.http;

import dev.aiprogress.auth.Credentials;
import dev.aiprogress.auth.HttpIdentity;
import dev.aiprogress.auth.OriginPolicy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/**
 * Runs before every plugin servlet: refuses foreign-origin POSTs (403, {@link OriginPolicy}), resolves
 * the user ({@link HttpIdentity}) into the request attribute {@link HttpIdentity#USER_ATTRIBUTE}, and answers 401
 * with a Frappe body when a protected path has no user. Async-supported (the chat servlets are async).
 */
public final class IdentityFilter extends HttpFilter {

    private static final System.Logger LOG = System.getLogger(IdentityFilter.class.getName());

    private transient HttpServices services;

    @Override
    public void init() throws ServletException {
        services = HttpServices.of(getServletContext());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("POST".equalsIgnoreCase(request.getMethod()) && !services.origins().allows(
                Optional.ofNullable(request.getHeader("Origin")), Optional.ofNullable(request.getHeader("Host")))) {
            LOG.log(System.Logger.Level.DEBUG, "refused a POST from a foreign origin");
            FrappeError.forbidden("cross-origin request refused: origin '" + request.getHeader("Origin")
                    + "' is not allowed").send(response);
            return;
        }
        Optional<String> user = services.identity().resolve(request);
        if (user.isPresent()) {
            request.setAttribute(HttpIdentity.USER_ATTRIBUTE, user.get());
        } else if (!PluginPaths.OPEN.contains(pathOf(request)) && !PluginPaths.BODY_AUTHENTICATED.contains(pathOf(request))) {
            String message = Credentials.isTokenScheme(request.getHeader("Authorization"))
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
