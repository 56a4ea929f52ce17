package dev.aiprogress.web.bootstrap;

import dev.aiprogress.config.ConfigException;
import dev.aiprogress.web.http.IdentityFilter;
import dev.aiprogress.web.http.LoginServlet;

import dev.aiprogress.provider.http.ResponseHandler;
import dev.aiprogress.provider.http.ResponseHead;
import dev.aiprogress.provider.http.UpstreamRequest;

import dev.aiprogress.testsupport.EmbeddedJetty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginLifecycleTest {

    private static List<Thread> pluginThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ai-progress-") && t.isAlive()).toList();
    }

    @Test
    void undeploy_afterUse_leavesNoPluginThreadAlive() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().start()) {
            PluginRuntime runtime = PluginRuntime.of(jetty.context().getServletContext());
            // start threads of both pools: a timer task and an upstream call (to our own server)
            assertEquals("ran", runtime.scheduler().schedule(() -> "ran", 0, TimeUnit.MILLISECONDS).get());
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            runtime.taskScheduler().schedule(ran::countDown, 1_000_000);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            java.util.concurrent.CompletableFuture<Integer> status = new java.util.concurrent.CompletableFuture<>();
            runtime.upstream().send(new UpstreamRequest(jetty.uri("/api/method/login"),
                    List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")),
                    "usr=nobody&pwd=wrong".getBytes(java.nio.charset.StandardCharsets.UTF_8)), new ResponseHandler() {
                @Override
                public void onHead(ResponseHead head) {
                    status.complete(head.status());
                }

                @Override
                public void onBody(java.nio.ByteBuffer bytes) {
                }

                @Override
                public void onComplete() {
                }

                @Override
                public void onFailure(java.io.IOException error, boolean headReceived) {
                    status.completeExceptionally(error);
                }
            });
            assertEquals(401, status.get(10, TimeUnit.SECONDS));
            assertFalse(pluginThreads().isEmpty());

            jetty.undeploy();

            for (Thread t : pluginThreads()) {
                t.join(10_000);
            }
            assertEquals(List.of(), pluginThreads().stream().map(Thread::getName).toList());
            assertNull(jetty.context().getServletContext().getAttribute(PluginRuntime.ATTRIBUTE));
        }
    }

    @Test
    void deploy_invalidConfig_failsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> EmbeddedJetty.builder()
                .initParam("ai-progress.providers", "openai").start().close());
        assertEquals("ai-progress.provider.openai.dialect", e.key());
    }

    @Test
    void deploy_registerFalse_addsNothing() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().initParam("ai-progress.register", "false").start()) {
            assertNull(jetty.context().getServletContext().getAttribute(PluginRuntime.ATTRIBUTE));
            assertEquals(404, jetty.get(jetty.newClient(), "/api/method/frappe.auth.get_logged_user").statusCode());
        }
    }

    @Test
    void deploy_registerFalseWithManualDeclarations_works() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().initParam("ai-progress.register", "false")
                .customize(c -> {
                    // what a web.xml with <listener>, <filter> and <servlet> declares
                    c.addEventListener(new PluginLifecycle());
                    c.addFilter(IdentityFilter.class, "/api/method/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                    c.addServlet(LoginServlet.class, "/api/method/login");
                    c.addServlet(LoginServlet.class, "/api/method/frappe.auth.get_logged_user");
                }).start()) {
            java.net.http.HttpClient client = jetty.newClient();
            assertEquals(200, jetty.login(client, "demo", "demo").statusCode());
            assertEquals("{\"message\":\"demo\"}", jetty.get(client, "/api/method/frappe.auth.get_logged_user").body());
        }
    }

    @Test
    void deploy_default_sessionCookieIsSameSiteLax() throws Exception {
        try (EmbeddedJetty jetty = EmbeddedJetty.builder().start()) {
            HttpResponse<String> login = jetty.login(jetty.newClient(), "demo", "demo");
            String sid = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("sid=")).findFirst().orElseThrow();
            assertTrue(sid.contains("SameSite=Lax"), sid);
            assertEquals(URI.create("http://127.0.0.1:" + jetty.baseUri().getPort() + "/"), jetty.baseUri());
        }
    }
}
