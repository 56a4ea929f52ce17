package dev.aiprogress.web;

import dev.aiprogress.auth.HttpIdentity;

import dev.aiprogress.auth.FileTokenVerifier;
import dev.aiprogress.auth.SessionRegistry;
import dev.aiprogress.web.bootstrap.PluginRuntime;

import dev.aiprogress.testsupport.EmbeddedJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.HttpCookie;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Login, sessions, tokens, guests and origins on a real Jetty with the plugin registered by its SCI. */
class IdentityWebTest {

    /** Stands in for the chat servlet: answers with the user the filter resolved. */
    public static final class WhoAmI extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().write(HttpIdentity.user(req).orElse("(none)"));
        }
    }

    /** An application's own login: puts its user object in the session attribute the plugin is told about. */
    public static final class AppLogin extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
            req.getSession(true).setAttribute("app.user", new StringBuilder("carol"));
        }
    }

    static final String WHOAMI = "/test/whoami";
    static final String LOGGED_USER = "/api/method/frappe.auth.get_logged_user";

    @TempDir
    static Path dir;
    static EmbeddedJetty jetty;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "# test tokens\n" + FileTokenVerifier.hashLine("bot", "s3cret", 1000) + "\n");
        jetty = EmbeddedJetty.builder()
                .initParam("ai-progress.chat.path", WHOAMI)
                .initParam("ai-progress.auth.tokens-file", tokens.toString())
                .initParam("ai-progress.origins", "https://allowed.example")
                .initParam("ai-progress.auth.session-attribute", "app.user")
                .customize(c -> c.addServlet(new ServletHolder(new WhoAmI()), WHOAMI))
                .customize(c -> c.addServlet(new ServletHolder(new AppLogin()), "/test/app-login"))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void login_rightPassword_setsCookiesAndGetLoggedUserAnswers() throws Exception {
        HttpClient client = jetty.newClient();
        HttpResponse<String> login = jetty.login(client, "demo", "demo");
        assertEquals(200, login.statusCode());
        assertEquals("{\"message\":\"Logged In\",\"home_page\":\"/app\",\"full_name\":\"demo\"}", login.body());
        List<String> setCookies = login.headers().allValues("Set-Cookie");
        assertTrue(setCookies.stream().anyMatch(c -> c.startsWith("sid=")), setCookies.toString());
        assertTrue(setCookies.stream().anyMatch(c -> c.startsWith("user_id=demo;") && c.contains("SameSite=Lax")), setCookies.toString());
        assertTrue(setCookies.stream().anyMatch(c -> c.startsWith("system_user=yes;")), setCookies.toString());

        HttpResponse<String> me = jetty.get(client, LOGGED_USER);
        assertEquals(200, me.statusCode());
        assertEquals("{\"message\":\"demo\"}", me.body());
        assertEquals("demo", jetty.get(client, WHOAMI).body());
    }

    @Test
    void login_sessionId_isRegisteredForSockets() throws Exception {
        HttpClient client = jetty.newClient();
        HttpResponse<String> login = jetty.login(client, "demo", "demo");
        String sid = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("sid="))
                .map(c -> HttpCookie.parse(c).get(0).getValue()).reduce((a, b) -> b).orElseThrow();
        SessionRegistry sessions = PluginRuntime.of(jetty.context().getServletContext()).sessions();
        assertEquals(java.util.Optional.of("demo"), sessions.userForSessionId(sid));
    }

    @Test
    void login_wrongPassword_is401WithFrappeBody() throws Exception {
        HttpResponse<String> r = jetty.login(jetty.newClient(), "demo", "wrong");
        assertEquals(401, r.statusCode());
        assertEquals("{\"exc_type\":\"AuthenticationError\",\"exception\":\"AuthenticationError: Invalid login credentials\","
                + "\"message\":\"Invalid login credentials\"}", r.body());
    }

    @Test
    void login_missingFields_is400NamingTheField() throws Exception {
        HttpClient client = jetty.newClient();
        HttpResponse<String> noUser = jetty.postForm(client, "/api/method/login", "pwd=x");
        assertEquals(400, noUser.statusCode());
        assertEquals("{\"exc_type\":\"ValidationError\",\"exception\":\"ValidationError: usr is required (form field usr)\","
                + "\"message\":\"usr is required (form field usr)\"}", noUser.body());
        HttpResponse<String> noPassword = jetty.postForm(client, "/api/method/login", "usr=demo");
        assertEquals(400, noPassword.statusCode());
        assertTrue(noPassword.body().contains("\"message\":\"pwd is required (form field pwd)\""), noPassword.body());
    }

    @Test
    void sessionAttribute_setByTheApplication_isTheUser() throws Exception {
        HttpClient client = jetty.newClient();
        assertEquals(200, jetty.postForm(client, "/test/app-login", "").statusCode());
        assertEquals("carol", jetty.get(client, WHOAMI).body());
        assertEquals("{\"message\":\"carol\"}", jetty.get(client, LOGGED_USER).body());
    }

    @Test
    void getLoggedUser_noSession_is401() throws Exception {
        HttpResponse<String> r = jetty.get(jetty.newClient(), LOGGED_USER);
        assertEquals(401, r.statusCode());
        assertEquals("{\"exc_type\":\"AuthenticationError\",\"exception\":\"AuthenticationError: Not logged in\","
                + "\"message\":\"Not logged in\"}", r.body());
    }

    @Test
    void protectedPath_noUser_is401() throws Exception {
        HttpResponse<String> r = jetty.postJson(jetty.newClient(), WHOAMI, "{}");
        assertEquals(401, r.statusCode());
        assertEquals("{\"exc_type\":\"AuthenticationError\",\"exception\":\"AuthenticationError: Not logged in: log in or send "
                + "Authorization: token <key>:<secret>\",\"message\":\"Not logged in: log in or send Authorization: token <key>:<secret>\"}",
                r.body());
    }

    @Test
    void logout_afterLogin_endsTheSession() throws Exception {
        HttpClient client = jetty.newClient();
        jetty.login(client, "demo", "demo");
        HttpResponse<String> out = jetty.postForm(client, "/api/method/logout", "");
        assertEquals(200, out.statusCode());
        assertEquals("{\"message\":\"Logged Out\"}", out.body());
        assertEquals(401, jetty.get(client, LOGGED_USER).statusCode());
    }

    @Test
    void token_validKeyAndSecret_isTheKeysUser() throws Exception {
        HttpResponse<String> r = jetty.postJson(jetty.newClient(), WHOAMI, "{}", "Authorization", "token bot:s3cret");
        assertEquals(200, r.statusCode());
        assertEquals("bot", r.body());
        assertEquals("{\"message\":\"bot\"}", jetty.get(jetty.newClient(), LOGGED_USER, "Authorization", "token bot:s3cret").body());
    }

    @Test
    void token_serviceLoadedVerifier_isAskedAfterTheFile() throws Exception {
        HttpResponse<String> r = jetty.postJson(jetty.newClient(), WHOAMI, "{}", "Authorization", "Token svc:ok");
        assertEquals(200, r.statusCode());
        assertEquals("svc-user", r.body());
    }

    @Test
    void token_wrongSecret_is401InvalidToken() throws Exception {
        HttpResponse<String> r = jetty.postJson(jetty.newClient(), WHOAMI, "{}", "Authorization", "token bot:nope");
        assertEquals(401, r.statusCode());
        assertTrue(r.body().endsWith("\"message\":\"Invalid API token\"}"), r.body());
    }

    @Test
    void origin_foreignPost_is403() throws Exception {
        HttpResponse<String> r = jetty.postForm(jetty.newClient(), "/api/method/login", "usr=demo&pwd=demo",
                "Origin", "https://evil.example");
        assertEquals(403, r.statusCode());
        assertEquals("{\"exc_type\":\"PermissionError\",\"exception\":\"PermissionError: cross-origin request refused: origin "
                + "'https://evil.example' is not allowed\",\"message\":\"cross-origin request refused: origin 'https://evil.example' "
                + "is not allowed\"}", r.body());
    }

    @Test
    void origin_sameHostOrAllowListed_isAccepted() throws Exception {
        String self = "http://127.0.0.1:" + jetty.baseUri().getPort();
        assertEquals(200, jetty.login(jetty.newClient(), "demo", "demo").statusCode());
        assertEquals(200, jetty.postForm(jetty.newClient(), "/api/method/login", "usr=demo&pwd=demo", "Origin", self).statusCode());
        assertEquals(200, jetty.postForm(jetty.newClient(), "/api/method/login", "usr=demo&pwd=demo",
                "Origin", "https://allowed.example").statusCode());
        assertEquals(403, jetty.postForm(jetty.newClient(), "/api/method/login", "usr=demo&pwd=demo",
                "Origin", "http://127.0.0.1:1").statusCode());
    }

    @Test
    void guest_disabled_isNotCreated() throws Exception {
        assertEquals(401, jetty.get(jetty.newClient(), WHOAMI).statusCode());
    }

    @Test
    void guest_enabled_isIsolatedPerSession() throws Exception {
        try (EmbeddedJetty guests = EmbeddedJetty.builder()
                .initParam("ai-progress.chat.path", WHOAMI)
                .initParam("ai-progress.auth.allow-guest", "true")
                .customize(c -> c.addServlet(new ServletHolder(new WhoAmI()), WHOAMI))
                .start()) {
            HttpClient alice = guests.newClient();
            HttpClient bob = guests.newClient();
            String a1 = guests.get(alice, WHOAMI).body();
            String a2 = guests.get(alice, WHOAMI).body();
            String b1 = guests.get(bob, WHOAMI).body();
            assertTrue(a1.matches("guest:[0-9a-f]{24}"), a1);
            assertEquals(a1, a2);
            assertTrue(b1.startsWith("guest:"), b1);
            assertNotEquals(a1, b1);
        }
    }
}
