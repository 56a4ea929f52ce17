package dev.aiprogress.web.http;

import dev.aiprogress.auth.FailedLogins;
import dev.aiprogress.auth.HttpIdentity;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Frappe-style login through the container's realm ({@code HttpServletRequest.login}), so any
 * realm works: {@code POST /api/method/login}, {@code GET /api/method/frappe.auth.get_logged_user},
 * {@code GET|POST /api/method/logout}. The session cookie is the container's (named {@code sid} in
 * {@code web.xml}); the extra cookies are what Frappe sets and the client may read.
 *
 * <p>A login body (form or JSON {@code usr}/{@code pwd}) is read with non-blocking I/O under a
 * deadline ({@link BodyBeforeDispatch}); a session exists only after a successful login (with a
 * fresh id); repeated failures for a name or from an address are slowed down ({@link FailedLogins}:
 * 429 with {@code Retry-After}). Who is logged in is kept by {@link HttpIdentity}.
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
            Optional<String> user = HttpIdentity.user(request);
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
        HttpServices services = HttpServices.of(getServletContext());
        // never getParameter: on a form body it reads blocking, and a client sending one byte every
        // few seconds would hold this thread; the body is read with non-blocking I/O instead
        Optional<RequestBody> read;
        try {
            read = BodyBeforeDispatch.body(request, response, services);
        } catch (FrappeError e) {
            e.send(response);
            return;
        }
        if (read.isEmpty()) {
            return; // reading; this servlet runs again with the body
        }
        String usr;
        String pwd;
        try {
            JsonObject fields = read.get().size() == 0 ? JsonValue.EMPTY_JSON_OBJECT
                    : read.get().toJsonObject(ContainerQuirks.contentType(request));
            usr = field(fields, request, "usr");
            pwd = field(fields, request, "pwd");
        } catch (FrappeError e) {
            e.send(response);
            return;
        }
        if (usr == null || usr.isBlank()) {
            FrappeError.badRequest("usr is required (form field usr)").send(response);
            return;
        }
        if (pwd == null || pwd.isEmpty()) {
            FrappeError.badRequest("pwd is required (form field pwd)").send(response);
            return;
        }
        String name = usr.trim();
        FailedLogins failures = services.failedLogins();
        String address = String.valueOf(request.getRemoteAddr());
        Optional<Duration> wait = failures.retryAfter(name, address);
        if (wait.isPresent()) {
            tooManyFailures(response, wait.get());
            return;
        }
        try {
            if (request.getUserPrincipal() != null) {
                request.logout();
            }
            // no session yet: a refused login must leave nothing behind (no session, no cookie)
            request.login(name, pwd);
        } catch (ServletException e) {
            failures.failed(name, address);
            LOG.log(System.Logger.Level.DEBUG, "login refused");
            new FrappeError(401, FrappeError.AUTHENTICATION, "Invalid login credentials").send(response);
            return;
        }
        failures.succeeded(name);
        // a session only now, and a new id if one existed before (session fixation); the
        // registry follows the id change through its HttpSessionIdListener
        HttpSession session = request.getSession(false);
        if (session != null) {
            request.changeSessionId();
        }
        session = request.getSession(true);
        ContainerQuirks.markSessionCreatedAfterLogin(session);
        ContainerQuirks.sameSiteOnSessionCookie(request, response);
        String user = request.getUserPrincipal() != null ? request.getUserPrincipal().getName() : name;
        services.identity().loggedIn(request, session, user);

        response.addCookie(cookie("user_id", user, -1));
        response.addCookie(cookie("full_name", user, -1));
        response.addCookie(cookie("system_user", "yes", -1));
        reply(response, WebJson.BUILDERS.createObjectBuilder()
                .add("message", "Logged In")
                .add("home_page", "/app")
                .add("full_name", user)
                .build());
    }

    /** A field of the body (form or JSON), else of the query string, as {@code getParameter} would find it. */
    private static String field(JsonObject body, HttpServletRequest request, String name) {
        JsonValue value = body.get(name);
        if (value == null) {
            return fromQuery(request.getQueryString(), name);
        }
        if (value instanceof JsonString text) {
            return text.getString();
        }
        throw FrappeError.badRequest(name + " must be a string");
    }

    private static String fromQuery(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            try {
                if (URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                throw FrappeError.badRequest("the query string is not valid URL encoding");
            }
        }
        return null;
    }

    private static void tooManyFailures(HttpServletResponse response, Duration wait) throws IOException {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        new FrappeError(429, FrappeError.RATE_LIMIT, "Too many failed logins for this user or from this address: "
                + "try again in " + seconds + " s").send(response);
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            HttpServices.of(getServletContext()).identity().loggedOut(session);
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
