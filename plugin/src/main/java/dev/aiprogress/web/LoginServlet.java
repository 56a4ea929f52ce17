package dev.aiprogress.web;

import jakarta.json.JsonObject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Frappe-style login through the container's realm ({@code HttpServletRequest.login}), so any
 * realm works: {@code POST /api/method/login}, {@code GET /api/method/frappe.auth.get_logged_user},
 * {@code GET|POST /api/method/logout}. The session cookie is the container's (named {@code sid} in
 * {@code web.xml}); the extra cookies are what Frappe sets and the client may read.
 */
public final class LoginServlet extends HttpServlet {

    private static final System.Logger LOG = System.getLogger(LoginServlet.class.getName());

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath();
        if (PluginPaths.LOGIN.equals(path)) {
            login(request, response);
        } else if (PluginPaths.LOGOUT.equals(path)) {
            logout(request, response);
        } else {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath();
        if (PluginPaths.LOGGED_USER.equals(path)) {
            Optional<String> user = Identity.user(request);
            if (user.isEmpty()) {
                FrappeError.unauthorized("Not logged in").send(response);
                return;
            }
            reply(response, WebJson.BUILDERS.createObjectBuilder().add("message", user.get()).build());
        } else if (PluginPaths.LOGOUT.equals(path)) {
            logout(request, response);
        } else {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
        }
    }

    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String usr = request.getParameter("usr");
        String pwd = request.getParameter("pwd");
        if (usr == null || usr.isBlank()) {
            FrappeError.badRequest("usr is required (form field usr)").send(response);
            return;
        }
        if (pwd == null || pwd.isEmpty()) {
            FrappeError.badRequest("pwd is required (form field pwd)").send(response);
            return;
        }
        request.getSession(true);
        try {
            if (request.getUserPrincipal() != null) {
                request.logout();
            }
            request.login(usr.trim(), pwd);
        } catch (ServletException e) {
            LOG.log(System.Logger.Level.DEBUG, "login refused");
            new FrappeError(401, FrappeError.AUTHENTICATION, "Invalid login credentials").send(response);
            return;
        }
        // a new id after login defeats session fixation, whether or not the container renewed it
        request.changeSessionId();
        HttpSession session = request.getSession(true);
        String user = request.getUserPrincipal() != null ? request.getUserPrincipal().getName() : usr.trim();
        session.setAttribute(Identity.LOGIN_SESSION_ATTRIBUTE, user);
        PluginRuntime.of(getServletContext()).sessions().remember(session.getId(), user);
        request.setAttribute(Identity.USER_ATTRIBUTE, user);

        response.addCookie(cookie("user_id", user, -1));
        response.addCookie(cookie("full_name", user, -1));
        response.addCookie(cookie("system_user", "yes", -1));
        reply(response, WebJson.BUILDERS.createObjectBuilder()
                .add("message", "Logged In")
                .add("home_page", "/app")
                .add("full_name", user)
                .build());
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            PluginRuntime.of(getServletContext()).sessions().forget(session.getId());
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyInvalid) {
                LOG.log(System.Logger.Level.DEBUG, "session already invalid at logout");
            }
        }
        try {
            request.logout();
        } catch (ServletException e) {
            LOG.log(System.Logger.Level.DEBUG, "container logout failed", e);
        }
        for (String name : new String[] {"user_id", "full_name", "system_user"}) {
            response.addCookie(cookie(name, "", 0));
        }
        reply(response, WebJson.BUILDERS.createObjectBuilder().add("message", "Logged Out").build());
    }

    private static Cookie cookie(String name, String value, int maxAge) {
        Cookie c = new Cookie(name, URLEncoder.encode(value, StandardCharsets.UTF_8));
        c.setPath("/");
        c.setMaxAge(maxAge);
        c.setAttribute("SameSite", "Lax");
        return c;
    }

    private static void reply(HttpServletResponse response, JsonObject body) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(body.toString());
    }
}
