package dev.aiprogress.web;

import dev.aiprogress.realtime.Hub;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.EmbeddedJetty;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile frames over a real WebSocket against one embedded server: random Engine.IO/Socket.IO
 * packets on {@code /socket.io/} after a valid CONNECT, and random messages on the plain endpoint.
 * After each one a probe (a {@code cancel} of an unknown task) must be answered, or the server must
 * have closed the socket with a clear code (never 1011, never silence). After each property: no
 * ERROR logged, no socket left in the hub, the plugin's threads within bounds, a normal chat works.
 */
class HostileSocketFuzzTest {

    static final Set<Integer> CLEAR_CLOSES = Set.of(1000, 1002, 1003, 1007, 1008, 1009);
    static EmbeddedJetty jetty;
    static HttpClient loggedIn;
    static String cookie;
    static HostileInput.CapturedLogs logs;

    @BeforeContainer
    static void start() throws Exception {
        logs = new HostileInput.CapturedLogs();
        jetty = EmbeddedJetty.builder().users(E2e.USERS)
                .initParam("ai-progress.provider.scripted.pacing", "0")
                // every try opens a socket; closes are noticed asynchronously
                .initParam("ai-progress.realtime.max-sockets-per-user", "100000")
                .start();
        loggedIn = jetty.newClient();
        assertEquals(200, jetty.login(loggedIn, "alice", "pw-alice").statusCode());
        cookie = E2e.sessionCookie(jetty, loggedIn);
    }

    @AfterContainer
    static void stop() throws Exception {
        jetty.close();
        logs.close();
    }

    static Hub hub() {
        return (Hub) jetty.context().getServletContext().getAttribute(Hub.class.getName());
    }

    @AfterProperty
    void serverIsStillHealthy() throws Exception {
        Await.within(Duration.ofSeconds(10), () -> hub().socketCount() == 0);
        assertEquals(0, hub().socketCount());
        assertEquals(List.of(), logs.errors());
        List<String> threads = HostileInput.pluginThreads();
        assertTrue(threads.size() <= HostileInput.maxPluginThreads(), threads.toString());
        HostileInput.assertServesANormalChat(jetty, loggedIn);
    }

    static void assertClearClose(String close, String frame) {
        int code = Integer.parseInt(close.substring(0, close.indexOf(' ')));
        assertTrue(CLEAR_CLOSES.contains(code), () -> "closed '" + close + "' after " + frame);
    }

    // ---- Socket.IO -------------------------------------------------------------------------

    @Provide
    Arbitrary<String> socketIoFrame() {
        Arbitrary<String> nsp = Arbitraries.of("", "", "/", "/,", "/admin,", "/x/y,", ",");
        Arbitrary<String> ack = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.integers().between(0, 1000).map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(10).ofMaxLength(30));
        Arbitrary<String> payload = Arbitraries.oneOf(HostileHttpFuzzTest.jsonValue(2),
                HostileHttpFuzzTest.jsonValue(2).list().ofMaxSize(3).map(l -> "[\"cancel\"" + (l.isEmpty() ? "" : ",") + String.join(",", l) + "]"),
                Arbitraries.strings().ofMaxLength(20), Arbitraries.just(""));
        Arbitrary<String> socketPacket = Combinators.combine(Arbitraries.strings().withChars("0123456789-").ofLength(1), nsp, ack, payload)
                .as((type, n, id, p) -> "4" + type + n + id + p);
        Arbitrary<String> special = Arbitraries.of("", "4", "40", "41", "42", "43", "44", "45", "46", "47", "1", "2", "3", "5", "6", "7",
                "2probe", "3probe", "42[\"cancel\"]", "42[\"cancel\",null]", "42[\"cancel\",{\"task_id\":123}]",
                "421[\"cancel\",{\"task_id\":\"x\"}]", "42[]", "42[1]", "42[null]", "42[\"ai_progress\",{}]", "44{}", "43[]",
                "451-[\"x\",{\"_placeholder\":true,\"num\":0}]", "49999999999999999999999[\"cancel\"]", "42/,[\"cancel\"]",
                "40{\"sid\":\"forged\"}", "4\u0000", "42[\"cancel\",{\"task_id\":\"" + "x".repeat(5000) + "\"}]", "b4AAAA");
        Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(40);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, socketPacket), net.jqwik.api.Tuple.of(3, special), net.jqwik.api.Tuple.of(1, anyText));
    }

    @Property
    void socketIo_randomFrameAfterConnect_probeAnsweredOrClearClose(@ForAll("socketIoFrame") String frame) throws Exception {
        try (JdkSocket s = JdkSocket.socketIo(jetty.baseUri().getPort(), Map.of("Cookie", cookie), "40")) {
            String connected = s.next();
            assertTrue(connected.startsWith("40{\"sid\":"), connected);
            s.send(frame);
            if (s.isClosed()) {
                assertClearClose(s.awaitClose(), frame);
                return;
            }
            try {
                s.send("42987654[\"cancel\",{\"task_id\":\"probe\"}]");
            } catch (RuntimeException closedMeanwhile) {
                assertClearClose(s.awaitClose(), frame);
                return;
            }
            while (true) {
                String reply = s.poll(10_000);
                if (reply == null) {
                    assertTrue(s.isClosed(), () -> "neither an answer nor a close after " + frame);
                    assertClearClose(s.awaitClose(), frame);
                    return;
                }
                HostileInput.assertNoInternals(reply);
                if (reply.equals("43987654[{\"cancelled\":false}]")) {
                    return;
                }
                assertTrue(reply.matches("4[0134](/[^,]*,)?[0-9]*[\\[{].*"), () -> "unexpected frame " + reply + " after " + frame);
            }
        }
    }

    // ---- plain WebSocket -------------------------------------------------------------------

    @Provide
    Arbitrary<String> plainMessage() {
        Arbitrary<String> action = Arbitraries.oneOf(Arbitraries.of("\"resume\"", "\"cancel\"", "\"subscribe\"", "\"\"", "null", "1", "[]"),
                HostileHttpFuzzTest.jsonValue(1));
        Arbitrary<String> taskId = Arbitraries.oneOf(Arbitraries.of("\"t-1\"", "\"\"", "null", "1", "{}", "\"../x\"",
                "\"" + "t".repeat(300) + "\""), HostileHttpFuzzTest.jsonValue(1));
        Arbitrary<String> afterSeq = Arbitraries.oneOf(Arbitraries.of("-1", "0", "1e30", "99999999999999999999", "\"3\"", "null", "1.5"),
                HostileHttpFuzzTest.jsonValue(1));
        Arbitrary<String> shaped = Combinators.combine(action, taskId, afterSeq, Arbitraries.integers().between(0, 7))
                .as((a, t, n, mask) -> {
                    StringBuilder sb = new StringBuilder("{");
                    String sep = "";
                    if ((mask & 1) != 0) {
                        sb.append("\"action\":").append(a);
                        sep = ",";
                    }
                    if ((mask & 2) != 0) {
                        sb.append(sep).append("\"task_id\":").append(t);
                        sep = ",";
                    }
                    if ((mask & 4) != 0) {
                        sb.append(sep).append("\"after_seq\":").append(n);
                    }
                    return sb.append('}').toString();
                });
        return Arbitraries.oneOf(shaped, HostileHttpFuzzTest.jsonValue(3), Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("", "{", "}", "[", "{\"action\":\"resume\",\"task_id\":\"t\",\"after_seq\":}", "\u0000",
                        "{\"action\":\"cancel\",\"task_id\":\"t\"}{\"action\":\"cancel\"}", "[".repeat(5000)));
    }

    @Property
    void plainSocket_randomMessage_probeAnsweredOrClearClose(@ForAll("plainMessage") String message) throws Exception {
        try (JdkSocket s = JdkSocket.open(jetty.baseUri().getPort(), "/ai-progress/ws", Map.of("Cookie", cookie))) {
            s.send(message);
            try {
                s.send("{\"action\":\"cancel\",\"task_id\":\"probe\"}");
            } catch (RuntimeException closedMeanwhile) {
                assertClearClose(s.awaitClose(), message);
                return;
            }
            while (true) {
                String reply = s.poll(10_000);
                if (reply == null) {
                    assertTrue(s.isClosed(), () -> "neither an answer nor a close after " + message);
                    assertClearClose(s.awaitClose(), message);
                    return;
                }
                HostileInput.assertNoInternals(reply);
                if (reply.equals("{\"event\":\"error\",\"data\":{\"message\":\"no running task probe of yours\"}}")) {
                    return;
                }
                assertTrue(reply.startsWith("{\"event\":\"error\",\"data\":{\"message\":\"")
                        || reply.startsWith("{\"event\":\"ai_progress\",\"data\":{"), () -> "unexpected frame " + reply + " after " + message);
                ChatWeb.json(reply);
            }
        }
    }
}
