package dev.aiprogress.web;

import dev.aiprogress.web.http.HttpServices;

import dev.aiprogress.auth.Credentials;
import dev.aiprogress.web.http.PluginPaths;

import dev.aiprogress.testsupport.EmbeddedJetty;
import dev.aiprogress.testsupport.MockResponse;
import dev.aiprogress.testsupport.MockUpstream;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Isolation and auth gaps: expired (logged-out) and forged session ids, another user's task for
 * cancel and resume on every channel, tokens with a wrong secret, foreign {@code Origin} on both
 * socket endpoints, guests never sharing a room. And the secrets scan: every log record (JUL root,
 * all levels) and every reply and frame of these paths, searched for the API key, the token
 * secret, the passwords and the session ids.
 */
class IsolationAndSecretsWebTest {

    static final String API_KEY = "sk-SECRET-a1b2c3d4e5f6";
    static final String TOKEN_SECRET = "tok-SECRET-9z8y7x";
    static MockUpstream upstream;
    static EmbeddedJetty jetty;
    static HostileInput.CapturedLogs logs;
    /** Every body and frame a client received in this class. */
    static final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    /** Every session id handed out in this class. */
    static final List<String> sessionIds = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        logs = new HostileInput.CapturedLogs().everything();
        upstream = MockUpstream.start();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ai-progress.provider.deepseek.api-key", API_KEY);
        params.put("ai-progress.auth.tokens-file", TokenFiles.write("alice", "alice", TOKEN_SECRET).toString());
        params.put("ai-progress.gateway.retries", "0");
        params.put("ai-progress.gateway.backoff", "10ms");
        jetty = E2e.server(upstream, params).start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            jetty.close();
            upstream.close();
            List<String> secrets = new ArrayList<>(List.of(API_KEY, "a1b2c3d4e5f6", TOKEN_SECRET));
            E2e.USERS.values().forEach(secrets::add);
            sessionIds.stream().map(Credentials::normaliseSessionId).forEach(secrets::add);
            List<String> texts = new ArrayList<>(logs.texts());
            texts.addAll(seen);
            assertTrue(texts.size() > 20, "too little captured to mean anything: " + texts.size());
            for (String text : texts) {
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), () -> "secret '" + secret + "' in: " + text);
                }
            }
        } finally {
            logs.close();
        }
    }

    static HttpClient login(String user) throws Exception {
        HttpClient client = jetty.newClient();
        HttpResponse<String> r = jetty.login(client, user, E2e.USERS.get(user));
        seen.add(r.body());
        assertEquals(200, r.statusCode(), r.body());
        String cookie = E2e.sessionCookie(jetty, client);
        sessionIds.add(sidOf(cookie));
        return client;
    }

    static String sidOf(String cookie) {
        for (String part : cookie.split(";\\s*")) {
            if (part.startsWith("sid=")) {
                return part.substring(4).replace("\"", "");
            }
        }
        throw new AssertionError("no sid in " + cookie);
    }

    static JdkSocket socketIo(Map<String, String> headers, String connect) throws Exception {
        return JdkSocket.socketIo(jetty.baseUri().getPort(), headers, connect);
    }

    static JdkSocket plain(Map<String, String> headers) throws Exception {
        return JdkSocket.open(jetty.baseUri().getPort(), "/ai-progress/ws", headers);
    }

    static String next(JdkSocket s) throws InterruptedException {
        String f = s.next();
        seen.add(f);
        return f;
    }

    @Test
    void sid_afterLogout_isRefusedOnSocketIoPlainAndHttp() throws Exception {
        HttpClient alice = login("alice");
        String cookie = E2e.sessionCookie(jetty, alice);
        String sid = sidOf(cookie);
        HttpResponse<String> out = jetty.get(alice, PluginPaths.LOGOUT);
        seen.add(out.body());
        assertEquals(200, out.statusCode(), out.body());

        try (JdkSocket s = socketIo(Map.of(), "40{\"sid\":\"" + sid + "\"}")) {
            assertEquals("44{\"message\":\"Unauthorized\"}", next(s));
        }
        try (JdkSocket s = socketIo(Map.of("Cookie", "sid=" + sid), "40")) {
            assertEquals("44{\"message\":\"Unauthorized\"}", next(s));
        }
        try (JdkSocket s = plain(Map.of("Cookie", "sid=" + sid))) {
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"Unauthorized\"}}", next(s));
            assertEquals("1008 unauthorized", s.awaitClose());
        }
        HttpResponse<String> chat = jetty.postJson(jetty.newClient(), ChatWeb.CHAT, ChatWeb.userMessage("hi", ""),
                "Cookie", "sid=" + sid);
        seen.add(chat.body());
        assertEquals(401, chat.statusCode(), chat.body());
    }

    @Test
    void sid_forged_isRefused() throws Exception {
        for (String forged : List.of("node0forged", "node0forged.node0", "", "../../x", "x".repeat(4000))) {
            try (JdkSocket s = socketIo(Map.of(), "40{\"sid\":\"" + forged + "\"}")) {
                assertEquals("44{\"message\":\"Unauthorized\"}", next(s));
            }
        }
        try (JdkSocket s = plain(Map.of("Cookie", "sid=node0forged.node0"))) {
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"Unauthorized\"}}", next(s));
            assertEquals("1008 unauthorized", s.awaitClose());
        }
    }

    @Test
    void token_wrongSecret_isRefusedOnHttpAndSockets_rightSecretWorks() throws Exception {
        HttpResponse<String> r = jetty.postJson(jetty.newClient(), ChatWeb.CHAT, ChatWeb.userMessage("hi", "\"provider\":\"scripted\""),
                "Authorization", "token alice:wrong-secret");
        seen.add(r.body());
        assertEquals(401, r.statusCode(), r.body());
        try (JdkSocket s = socketIo(Map.of("Authorization", "token alice:wrong-secret"), "40")) {
            assertEquals("44{\"message\":\"Unauthorized\"}", next(s));
        }
        try (JdkSocket s = plain(Map.of("Authorization", "token alice:wrong-secret"))) {
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"Unauthorized\"}}", next(s));
            assertEquals("1008 unauthorized", s.awaitClose());
        }
        HttpResponse<String> ok = jetty.postJson(jetty.newClient(), ChatWeb.CHAT,
                ChatWeb.userMessage("hi", "\"provider\":\"scripted\""), "Authorization", "token alice:" + TOKEN_SECRET);
        seen.add(ok.body());
        assertEquals(200, ok.statusCode(), ok.body());
        try (JdkSocket s = socketIo(Map.of("Authorization", "token alice:" + TOKEN_SECRET), "40")) {
            assertTrue(next(s).startsWith("40{\"sid\":"));
        }
    }

    @Test
    void origin_foreign_isRefusedOnBothSocketEndpoints() throws Exception {
        String cookie = E2e.sessionCookie(jetty, login("bob"));
        Map<String, String> foreign = Map.of("Cookie", cookie, "Origin", "https://evil.example");
        try (JdkSocket s = JdkSocket.open(jetty.baseUri().getPort(), "/socket.io/?EIO=4&transport=websocket", foreign)) {
            assertEquals("1008 origin not allowed", s.awaitClose());
        }
        try (JdkSocket s = plain(foreign)) {
            assertEquals("1008 origin not allowed", s.awaitClose());
        }
        // the same host is fine
        try (JdkSocket s = plain(Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:" + jetty.baseUri().getPort()))) {
            s.send("{\"action\":\"cancel\",\"task_id\":\"none\"}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"no running task none of yours\"}}", next(s));
        }
    }

    @Test
    void otherUsersTask_cancelAndResume_areRefusedOnEveryChannel_andTheOwnerKeepsItsStream() throws Exception {
        String head = ChatFailureWebTest.partialStream();
        upstream.enqueue(MockResponse.sse(head + dev.aiprogress.testsupport.OpenAiStream.create("deepseek-reasoner")
                .content(" never").build()).splitAt(head.length()).stallAfter(1));
        HttpClient owner = login("carol");
        HttpClient other = login("mallory");
        String otherCookie = E2e.sessionCookie(jetty, other);
        try (JdkSocket ownerSocket = socketIo(Map.of("Cookie", E2e.sessionCookie(jetty, owner)), "40");
             JdkSocket otherSio = socketIo(Map.of("Cookie", otherCookie), "40");
             JdkSocket otherPlain = plain(Map.of("Cookie", otherCookie))) {
            assertTrue(next(ownerSocket).startsWith("40{"));
            assertTrue(next(otherSio).startsWith("40{"));
            CompletableFuture<HttpResponse<String>> reply = ChatWeb.chatAsync(jetty, owner,
                    ChatWeb.userMessage("q", "\"task_id\":\"iso-task\""));
            ChatCancelWebTest.await("carol's task to stream text", () -> HttpServices.of(jetty.context().getServletContext())
                    .gateway().tasks().find("iso-task", "carol").map(g -> g.lastSeq() >= 3).orElse(false));

            HttpResponse<String> httpCancel = jetty.postJson(other, ChatWeb.CANCEL, "{\"task_id\":\"iso-task\"}");
            seen.add(httpCancel.body());
            assertEquals(404, httpCancel.statusCode(), httpCancel.body());
            otherSio.send("421[\"cancel\",{\"task_id\":\"iso-task\"}]");
            assertEquals("431[{\"cancelled\":false}]", next(otherSio));
            otherPlain.send("{\"action\":\"cancel\",\"task_id\":\"iso-task\"}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"no running task iso-task of yours\"}}", next(otherPlain));
            otherPlain.send("{\"action\":\"resume\",\"task_id\":\"iso-task\",\"after_seq\":0}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"no task iso-task of yours\"}}", next(otherPlain));

            HttpResponse<String> ownCancel = jetty.postJson(owner, ChatWeb.CANCEL, "{\"task_id\":\"iso-task\"}");
            seen.add(ownCancel.body());
            assertEquals(200, ownCancel.statusCode(), ownCancel.body());
            HttpResponse<String> r = reply.get(20, TimeUnit.SECONDS);
            seen.add(r.body());
            assertEquals("The answer is", ChatWeb.message(r).getString("content"));
            // the owner's socket saw its task's events; the other user's sockets saw none of them
            List<String> ownerFrames = new ArrayList<>();
            String f;
            while ((f = ownerSocket.poll(2_000)) != null) {
                seen.add(f);
                ownerFrames.add(f);
                if (f.contains("\"type\":\"complete\"") || f.contains("\"type\":\"error\"")) {
                    break;
                }
            }
            assertTrue(ownerFrames.stream().anyMatch(x -> x.contains("\"task_id\":\"iso-task\"")), ownerFrames.toString());
            // the other user's next frames are answers to its own probes, never the owner's events
            otherSio.send("429[\"cancel\",{\"task_id\":\"probe\"}]");
            assertEquals("439[{\"cancelled\":false}]", next(otherSio));
            otherPlain.send("{\"action\":\"cancel\",\"task_id\":\"probe\"}");
            assertEquals("{\"event\":\"error\",\"data\":{\"message\":\"no running task probe of yours\"}}", next(otherPlain));
        }
    }

    @Test
    void secrets_upstreamEchoesTheKey_repliesEventsAndLogsHoldNoSecret() throws Exception {
        HttpClient wrong = jetty.newClient();
        HttpResponse<String> bad = jetty.login(wrong, "alice", "pw-WRONG-" + TOKEN_SECRET);
        seen.add(bad.body());
        assertEquals(401, bad.statusCode());
        HttpClient erin = login("erin");
        try (JdkSocket socket = socketIo(Map.of("Cookie", E2e.sessionCookie(jetty, erin)), "40")) {
            assertTrue(next(socket).startsWith("40{"));
            // 401 echoing the key, before the first token
            upstream.enqueue(MockResponse.status(401).header("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY + "\"}}").contentLength());
            HttpResponse<String> r1 = jetty.postJson(erin, ChatWeb.CHAT, ChatWeb.userMessage("q", "\"provider\":\"deepseek\""));
            seen.add(r1.body());
            assertEquals(200, r1.statusCode(), r1.body());
            assertFalse(ChatWeb.message(r1).getBoolean("success"), r1.body());
            // an error frame mid-stream echoing the key, in SSE mode
            upstream.enqueue(MockResponse.sse(ChatFailureWebTest.partialStream()
                    + "data: {\"error\":{\"message\":\"bad key " + API_KEY + "\"}}\n\n"));
            HttpResponse<String> r2 = jetty.postJson(erin, ChatWeb.CHAT, ChatWeb.userMessage("q", ""),
                    "Accept", "text/event-stream");
            seen.add(r2.body());
            assertEquals(200, r2.statusCode(), r2.body());
            assertTrue(r2.body().contains("\"type\":\"error\""), r2.body());
            String f;
            int frames = 0;
            while ((f = socket.poll(1_000)) != null) {
                seen.add(f);
                frames++;
            }
            assertTrue(frames > 0);
        }
    }

    @Test
    void guests_twoSessions_neverSeeEachOthersEvents() throws Exception {
        try (EmbeddedJetty guests = EmbeddedJetty.builder().initParam("ai-progress.auth.allow-guest", "true")
                .initParam("ai-progress.provider.scripted.pacing", "0").start()) {
            HttpClient a = guests.newClient();
            HttpClient b = guests.newClient();
            // the first request creates each guest's session
            assertEquals(200, guests.postJson(a, ChatWeb.CHAT, ChatWeb.userMessage("a0", "\"task_id\":\"guest-a0\"")).statusCode());
            assertEquals(200, guests.postJson(b, ChatWeb.CHAT, ChatWeb.userMessage("b0", "\"task_id\":\"guest-b0\"")).statusCode());
            String cookieA = E2e.sessionCookie(guests, a);
            String cookieB = E2e.sessionCookie(guests, b);
            assertFalse(cookieA.equals(cookieB));
            try (JdkSocket sa = JdkSocket.socketIo(guests.baseUri().getPort(), Map.of("Cookie", cookieA), "40");
                 JdkSocket sb = JdkSocket.socketIo(guests.baseUri().getPort(), Map.of("Cookie", cookieB), "40")) {
                assertTrue(sa.next().startsWith("40{"));
                assertTrue(sb.next().startsWith("40{"));
                for (int i = 1; i <= 3; i++) {
                    assertEquals(200, guests.postJson(a, ChatWeb.CHAT, ChatWeb.userMessage("a", "\"task_id\":\"guest-a" + i + "\"")).statusCode());
                    assertEquals(200, guests.postJson(b, ChatWeb.CHAT, ChatWeb.userMessage("b", "\"task_id\":\"guest-b" + i + "\"")).statusCode());
                }
                assertOnlyOwnTasks(sa, "guest-a");
                assertOnlyOwnTasks(sb, "guest-b");
            }
        }
    }

    /** Every event frame until the last task's {@code complete} belongs to tasks starting with {@code prefix}. */
    static void assertOnlyOwnTasks(JdkSocket s, String prefix) throws InterruptedException {
        int events = 0;
        while (true) {
            String f = s.next();
            if (!f.startsWith("42[\"ai_progress\"")) {
                continue;
            }
            JsonObject event = jakarta.json.Json.createReader(new java.io.StringReader(f.substring(2))).readArray().getJsonObject(1);
            assertTrue(event.getString("task_id").startsWith(prefix), f);
            events++;
            if (event.getString("task_id").equals(prefix + "3") && event.getString("type").equals("complete")) {
                break;
            }
        }
        assertTrue(events > 3);
    }
}
