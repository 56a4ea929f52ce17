package dev.aiprogress.web;

import dev.aiprogress.auth.Credentials;
import dev.aiprogress.auth.SessionRegistry;
import dev.aiprogress.web.bootstrap.PluginRuntime;

import dev.aiprogress.testsupport.EmbeddedJetty;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Login hardening through real HTTP: a refused login leaves no session and no cookie; a successful
 * one gets a fresh session id that the session registry follows; repeated failures for a name or
 * from an address are answered 429 with {@code Retry-After}, while other users still log in.
 */
class LoginHardeningWebTest {

    static final Map<String, String> USERS = Map.of("demo", "demo", "alice", "pw-alice", "victim", "pw-victim");

    static EmbeddedJetty.Builder server(AtomicInteger sessionsCreated) {
        return EmbeddedJetty.builder().users(USERS).customize(context ->
                context.addEventListener(new HttpSessionListener() {
                    @Override
                    public void sessionCreated(HttpSessionEvent se) {
                        sessionsCreated.incrementAndGet();
                    }
                }));
    }

    static String sid(HttpClient client) {
        return ((CookieManager) client.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("sid")).map(HttpCookie::getValue).findFirst().orElse("");
    }

    static SessionRegistry registry(EmbeddedJetty jetty) {
        return PluginRuntime.of(jetty.context().getServletContext()).sessions();
    }

    @Test
    void failedLogins_createNoSessionAndSetNoCookie() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        try (EmbeddedJetty jetty = server(sessions).start()) {
            for (String name : new String[] {"nobody", "alice", "someone-else"}) {
                HttpClient client = jetty.newClient();
                HttpResponse<String> r = jetty.login(client, name, "wrong");
                assertEquals(401, r.statusCode(), r.body());
                assertEquals("{\"exc_type\":\"AuthenticationError\",\"exception\":\"AuthenticationError: Invalid login "
                        + "credentials\",\"message\":\"Invalid login credentials\"}", r.body());
                assertTrue(r.headers().allValues("set-cookie").stream().noneMatch(c -> c.startsWith("sid=")),
                        r.headers().toString());
                assertEquals("", sid(client));
            }
            assertEquals(0, sessions.get());
            assertEquals(0, registry(jetty).size());
        }
    }

    @Test
    void loginAgain_rotatesTheSessionId_andTheRegistryFollows() throws Exception {
        try (EmbeddedJetty jetty = server(new AtomicInteger()).start()) {
            HttpClient client = jetty.newClient();
            assertEquals(200, jetty.login(client, "alice", "pw-alice").statusCode());
            String first = sid(client);
            assertEquals("alice", registry(jetty).userForSessionId(first).orElseThrow());

            assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
            String second = sid(client);
            assertNotEquals(Credentials.normaliseSessionId(first), Credentials.normaliseSessionId(second));
            assertEquals("demo", registry(jetty).userForSessionId(second).orElseThrow());
            assertFalse(registry(jetty).userForSessionId(first).isPresent());
            assertEquals("{\"message\":\"demo\"}", jetty.get(client, "/api/method/frappe.auth.get_logged_user").body());
        }
    }

    @Test
    void repeatedFailuresForOneUser_429WithRetryAfter_evenWithTheRightPassword_otherUsersUnaffected() throws Exception {
        try (EmbeddedJetty jetty = server(new AtomicInteger()).initParam("ai-progress.login.max-failures", "3")
                .initParam("ai-progress.login.lockout", "10m").start()) {
            HttpClient attacker = jetty.newClient();
            for (int i = 0; i < 3; i++) {
                assertEquals(401, jetty.login(attacker, "victim", "guess-" + i).statusCode());
            }
            HttpResponse<String> locked = jetty.login(attacker, "victim", "pw-victim");
            assertEquals(429, locked.statusCode(), locked.body());
            long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 0 && retryAfter <= 600, "Retry-After " + retryAfter);
            assertTrue(locked.body().startsWith("{\"exc_type\":\"RateLimitExceededError\",\"exception\":"
                    + "\"RateLimitExceededError: Too many failed logins for this user or from this address: try again in "),
                    locked.body());
            assertEquals("", sid(attacker));

            // another user from the same address is not locked out by someone else's failures
            assertEquals(200, jetty.login(jetty.newClient(), "alice", "pw-alice").statusCode());
        }
    }

    @Test
    void repeatedFailuresFromOneAddress_429ForEveryName() throws Exception {
        try (EmbeddedJetty jetty = server(new AtomicInteger()).initParam("ai-progress.login.max-failures-per-address", "4")
                .initParam("ai-progress.login.lockout", "10m").start()) {
            for (int i = 0; i < 4; i++) {
                assertEquals(401, jetty.login(jetty.newClient(), "sprayed-" + i, "pw").statusCode());
            }
            HttpResponse<String> locked = jetty.login(jetty.newClient(), "alice", "pw-alice");
            assertEquals(429, locked.statusCode(), locked.body());
            assertTrue(locked.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void loginBody_asJson_isAccepted() throws Exception {
        try (EmbeddedJetty jetty = server(new AtomicInteger()).start()) {
            HttpClient client = jetty.newClient();
            HttpResponse<String> r = jetty.postJson(client, "/api/method/login", "{\"usr\":\"alice\",\"pwd\":\"pw-alice\"}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("alice", registry(jetty).userForSessionId(sid(client)).orElseThrow());
        }
    }
}
