package dev.aiprogress.realtime.servlet;

import dev.aiprogress.event.EventType;
import dev.aiprogress.event.ProgressEvent;
import dev.aiprogress.realtime.RealtimeOptions;
import dev.aiprogress.realtime.TaskControl;
import dev.aiprogress.realtime.jakarta.RealtimeJetty;
import dev.aiprogress.realtime.jakarta.WsClient;
import dev.aiprogress.realtime.socketio.PollingSessionProbe;
import dev.aiprogress.testsupport.Await;
import dev.aiprogress.testsupport.ManualScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case of the Engine.IO v4 protocol document for HTTP long-polling and the upgrade (and of
 * its test suite, {@code socketio/engine.io-protocol} {@code test-suite/test-suite.js}), over real
 * HTTP (the JDK client) and a real WebSocket client (Jetty's) against embedded Jetty with the
 * endpoint and the long-polling servlet registered as the plugin registers them, on one path.
 *
 * <p>Where the reference server echoes {@code 4hello} back (its test application, not protocol),
 * the same exchange is done with our protocol: the Socket.IO CONNECT and the {@code cancel} event's
 * ack. The heartbeat runs on a manual clock (pings and timeouts fire when the test moves time), so
 * no case depends on how busy the machine is.
 */
class PollingProtocolTest {

    static final Pattern OPEN = Pattern.compile(
            "0\\{\"sid\":\"([A-Za-z0-9_-]{20})\",\"upgrades\":\\[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    /** Each test its own user: a user's replay window would otherwise reach the next test's sockets. */
    static final java.util.concurrent.atomic.AtomicInteger USERS = new java.util.concurrent.atomic.AtomicInteger();
    static String user = "proto0";
    static final String UNKNOWN_SID = "{\"code\":1,\"message\":\"Session ID unknown\"}";

    static final ManualScheduler clock = new ManualScheduler();
    static RealtimeJetty server;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        server = new RealtimeJetty(RealtimeOptions.defaults().withAllowedOrigins(List.of("https://app.example")),
                TaskControl.NONE, clock);
    }

    @org.junit.jupiter.api.BeforeEach
    void newUser() {
        user = "proto" + USERS.incrementAndGet();
    }

    static String cookie() {
        return "sid=sid-" + user;
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static URI uri(String query) {
        return URI.create(server.httpUrl("/socket.io/" + query));
    }

    static HttpResponse<String> get(String query, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(20)).header("Cookie", cookie());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> getAsync(String query) {
        return http.sendAsync(HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(20)).header("Cookie", cookie())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String query, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the raw-socket request below read back. */
    record RawAnswer(int status, String contentType, String body) {
    }

    /**
     * A POST whose head declares {@code contentLength} bytes and whose body is never sent; the answer
     * read from the raw socket.
     */
    static RawAnswer postHeadOnly(String sid, int contentLength) throws Exception {
        URI target = uri("?EIO=4&transport=polling&sid=" + sid);
        try (java.net.Socket socket = new java.net.Socket(target.getHost(), target.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST " + target.getRawPath() + "?" + target.getRawQuery() + " HTTP/1.1\r\n"
                    + "Host: " + target.getHost() + ":" + target.getPort() + "\r\n"
                    + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + contentLength + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            int length = -1;
            String contentType = "";
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                } else if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                    contentType = line.substring(13).trim();
                }
            }
            char[] body = new char[Math.max(0, length)];
            int read = 0;
            while (read < body.length) {
                int n = in.read(body, read, body.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new RawAnswer(status, contentType, new String(body, 0, read));
        }
    }

    static HttpResponse<String> post(String sid, String body) throws Exception {
        return send("POST", "?EIO=4&transport=polling&sid=" + sid, body);
    }

    static String poll(String sid) throws Exception {
        HttpResponse<String> r = get("?EIO=4&transport=polling&sid=" + sid);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    static void assertRefused(HttpResponse<String> r, int status, String json) {
        assertRefused(new RawAnswer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body()), status, json);
    }

    static void assertRefused(RawAnswer r, int status, String json) {
        assertEquals(status, r.status(), r.body());
        assertEquals(json, r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    }

    /** A new session: its sid. */
    static String handshake() throws Exception {
        HttpResponse<String> r = get("?EIO=4&transport=polling");
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = OPEN.matcher(r.body());
        assertTrue(m.matches(), r.body());
        return m.group(1);
    }

    /** A session after the Socket.IO CONNECT and its reply. */
    static String connected() throws Exception {
        String sid = handshake();
        assertEquals("ok", post(sid, "40").body());
        assertTrue(poll(sid).matches("40\\{\"sid\":\"[A-Za-z0-9_-]+\",\"pid\":\"[A-Za-z0-9_-]+\"}"));
        return sid;
    }

    static WsClient upgradeSocket(String sid) throws Exception {
        return new WsClient(server.wsUrl("/socket.io/?EIO=4&transport=websocket&sid=" + sid), Map.of("Cookie", cookie()));
    }

    // ---- handshake ----

    @Test
    void handshake_polling_opensASessionOfferingTheUpgrade() throws Exception {
        HttpResponse<String> r = get("?EIO=4&transport=polling&t=PxyZ&b64=1");
        assertEquals(200, r.statusCode());
        assertTrue(OPEN.matcher(r.body()).matches(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }

    @Test
    void handshake_invalidEioQueryParameter_400() throws Exception {
        for (String query : List.of("?transport=polling", "?EIO=abc&transport=polling", "?EIO=3&transport=polling")) {
            assertRefused(get(query), 400, "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        }
    }

    @Test
    void handshake_invalidTransportQueryParameter_400() throws Exception {
        for (String query : List.of("?EIO=4", "?EIO=4&transport=abc")) {
            assertRefused(get(query), 400, "{\"code\":0,\"message\":\"Transport unknown\"}");
        }
        // websocket asked for over plain HTTP, without the upgrade handshake
        assertRefused(get("?EIO=4&transport=websocket"), 400, "{\"code\":3,\"message\":\"Bad request\"}");
    }

    @Test
    void handshake_invalidRequestMethod_400() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE")) {
            assertRefused(send(method, "?EIO=4&transport=polling", "40"), 400,
                    "{\"code\":2,\"message\":\"Bad handshake method\"}");
        }
    }

    // ---- message ----

    @Test
    void message_onePlainTextPacket_postedOk_answerPolled() throws Exception {
        String sid = handshake();
        HttpResponse<String> push = post(sid, "40");
        assertEquals(200, push.statusCode());
        assertEquals("ok", push.body());
        assertTrue(poll(sid).startsWith("40{\"sid\":"));
    }

    @Test
    void message_severalPlainTextPackets_handledInOrder_answersJoinedByRecordSeparator() throws Exception {
        String sid = handshake();
        assertEquals("ok", post(sid, "40\u001e421[\"cancel\",{\"task_id\":\"a\"}]\u001e422[\"cancel\",{\"task_id\":\"b\"}]").body());
        String[] packets = poll(sid).split("\u001e");
        assertEquals(3, packets.length);
        assertTrue(packets[0].startsWith("40{\"sid\":"));
        assertEquals("431[{\"cancelled\":false}]", packets[1]);
        assertEquals("432[{\"cancelled\":false}]", packets[2]);
    }

    @Test
    void message_binaryPacket_refused_andTheSessionClosed() throws Exception {
        String sid = handshake();
        assertRefused(post(sid, "40\u001ebAQIDBA=="), 400, "{\"code\":3,\"message\":\"Bad request: malformed payload\"}");
        assertRefused(get("?EIO=4&transport=polling&sid=" + sid), 400, UNKNOWN_SID);
    }

    @Test
    void message_invalidPacketFormat_400_andTheSessionClosed() throws Exception {
        String sid = handshake();
        assertRefused(post(sid, "abc"), 400, "{\"code\":3,\"message\":\"Bad request: malformed payload\"}");
        assertRefused(get("?EIO=4&transport=polling&sid=" + sid), 400, UNKNOWN_SID);
    }

    @Test
    void message_duplicatePollRequests_secondRefused_firstGetsClose_thenTheSessionIsGone() throws Exception {
        String sid = connected();
        CompletableFuture<HttpResponse<String>> first = getAsync("?EIO=4&transport=polling&sid=" + sid);
        awaitParked(sid);
        HttpResponse<String> second = get("?EIO=4&transport=polling&sid=" + sid + "&t=burst");
        assertRefused(second, 400, "{\"code\":3,\"message\":\"Bad request: one GET and one POST at a time per session\"}");
        HttpResponse<String> firstAnswer = first.get(10, TimeUnit.SECONDS);
        assertEquals(200, firstAnswer.statusCode());
        assertEquals("1", firstAnswer.body());
        assertRefused(get("?EIO=4&transport=polling&sid=" + sid), 400, UNKNOWN_SID);
    }

    @Test
    void message_duplicatePostRequests_secondRefused_andTheSessionClosed() throws Exception {
        String sid = connected();
        // the first POST's head goes out now, its one-byte body only after the second POST was answered
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(10_000);
            java.io.OutputStream out = raw.getOutputStream();
            out.write(("POST /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitPostActive(sid);
            assertRefused(post(sid, "3"), 400, "{\"code\":3,\"message\":\"Bad request: one GET and one POST at a time per session\"}");
            out.write('3');
            out.flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(raw.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 400 Bad Request", status); // the session is gone by then
        }
        assertRefused(get("?EIO=4&transport=polling&sid=" + sid), 400, UNKNOWN_SID);
    }

    @Test
    void message_unknownSid_400OnGetAndPost() throws Exception {
        assertRefused(get("?EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA"), 400, UNKNOWN_SID);
        assertRefused(post("AAAAAAAAAAAAAAAAAAAA", "40"), 400, UNKNOWN_SID);
    }

    @Test
    void message_otherMethodWithSid_400() throws Exception {
        String sid = handshake();
        assertRefused(send("PUT", "?EIO=4&transport=polling&sid=" + sid, "40"), 400, "{\"code\":3,\"message\":\"Bad request\"}");
    }

    @Test
    void message_payloadOverMaxPayload_413_andTheWaitingGetGetsClose() throws Exception {
        String sid = connected();
        CompletableFuture<HttpResponse<String>> waiting = getAsync("?EIO=4&transport=polling&sid=" + sid);
        awaitParked(sid);
        String big = "42[\"x\",\"" + "a".repeat(1_000_000) + "\"]";
        // the server answers from the declared length without reading the body, then closes the
        // connection: a client still sending the megabyte may meet that close before the answer. So
        // the head alone goes out here, on a raw socket, and the answer is read before any body byte.
        RawAnswer refused = postHeadOnly(sid, big.getBytes(StandardCharsets.UTF_8).length);
        assertRefused(refused, 413, "{\"code\":3,\"message\":\"Payload too large\"}");
        assertEquals("1", waiting.get(10, TimeUnit.SECONDS).body());
        assertRefused(get("?EIO=4&transport=polling&sid=" + sid), 400, UNKNOWN_SID);
    }

    @Test
    void message_eventsPublishedWhileNoGet_nextGetCarriesAllInOrder() throws Exception {
        String sid = connected();
        for (int i = 1; i <= 3; i++) {
            server.hub.publish(user, ProgressEvent.thinking("queued-" + i, 1, "2026-11-24T10:15:30.123Z", "x"));
        }
        String[] packets = poll(sid).split("\u001e");
        assertEquals(3, packets.length, String.join("|", packets));
        for (int i = 0; i < 3; i++) {
            assertTrue(packets[i].startsWith("42[\"ai_progress\",{\"type\":\"thinking\""), packets[i]);
            assertTrue(packets[i].contains("\"task_id\":\"queued-" + (i + 1) + "\""), packets[i]);
        }
        post(sid, "1");
    }

    // ---- heartbeat (manual clock) ----

    @Test
    void heartbeat_sendsPingPackets_pongsByPost_keepTheSession() throws Exception {
        String sid = connected();
        for (int i = 0; i < 3; i++) {
            CompletableFuture<HttpResponse<String>> waiting = getAsync("?EIO=4&transport=polling&sid=" + sid);
            awaitParked(sid);
            clock.advance(Duration.ofSeconds(25));
            assertEquals("2", waiting.get(10, TimeUnit.SECONDS).body());
            HttpResponse<String> pong = post(sid, "3");
            assertEquals(200, pong.statusCode());
            assertEquals("ok", pong.body());
        }
        assertTrue(server.polling().find(sid).isPresent());
        post(sid, "1");
    }

    @Test
    void heartbeat_noPong_closesTheSessionUponPingTimeout() throws Exception {
        String sid = connected();
        clock.advance(Duration.ofSeconds(25));
        clock.advance(Duration.ofSeconds(20));
        assertRefused(post(sid, "3"), 400, UNKNOWN_SID);
    }

    // ---- close ----

    @Test
    void close_clientClosePacket_waitingGetGetsNoop_thenTheSessionIsGone() throws Exception {
        String sid = connected();
        CompletableFuture<HttpResponse<String>> waiting = getAsync("?EIO=4&transport=polling&sid=" + sid);
        awaitParked(sid);
        assertEquals("ok", post(sid, "1").body());
        HttpResponse<String> released = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(200, released.statusCode());
        assertEquals("6", released.body());
        assertRefused(get("?EIO=4&transport=polling&sid=" + sid), 400, UNKNOWN_SID);
    }

    // ---- upgrade ----

    @Test
    void upgrade_fromPollingToWebSocket_probeNoopUpgrade_thenTheSessionGoesOnOverWebSocket() throws Exception {
        String sid = connected();
        try (WsClient ws = upgradeSocket(sid)) {
            ws.send("2probe");
            assertEquals("3probe", ws.next());
            assertEquals("6", poll(sid)); // noop: cleanly ends the polling side
            ws.send("5");
            ws.send("42[\"cancel\",{\"task_id\":\"a\"}]".replace("42[", "427["));
            assertEquals("437[{\"cancelled\":false}]", ws.next());
        }
    }

    @Test
    void upgrade_getWaitingWhenTheProbeArrives_isReleasedWithNoop() throws Exception {
        String sid = connected();
        CompletableFuture<HttpResponse<String>> waiting = getAsync("?EIO=4&transport=polling&sid=" + sid);
        awaitParked(sid);
        try (WsClient ws = upgradeSocket(sid)) {
            ws.send("2probe");
            assertEquals("3probe", ws.next());
            assertEquals("6", waiting.get(10, TimeUnit.SECONDS).body());
            ws.send("5");
            ws.send("1");
            assertEquals("1000 client close", ws.awaitClose());
        }
    }

    @Test
    void upgrade_ignoresHttpRequestsWithTheSameSidAfterwards() throws Exception {
        String sid = connected();
        try (WsClient ws = upgradeSocket(sid)) {
            ws.send("2probe");
            assertEquals("3probe", ws.next());
            ws.send("5");
            awaitUpgraded(sid);
            assertRefused(get("?EIO=4&transport=polling&sid=" + sid), 400,
                    "{\"code\":3,\"message\":\"Bad request: the session was upgraded to websocket\"}");
            assertRefused(post(sid, "3"), 400, "{\"code\":3,\"message\":\"Bad request: the session was upgraded to websocket\"}");
            ws.send("428[\"cancel\",{\"task_id\":\"a\"}]");
            assertEquals("438[{\"cancelled\":false}]", ws.next());
        }
    }

    @Test
    void upgrade_ignoresAWebSocketWithTheSameSidAfterwards() throws Exception {
        String sid = connected();
        try (WsClient ws = upgradeSocket(sid)) {
            ws.send("2probe");
            assertEquals("3probe", ws.next());
            ws.send("5");
            awaitUpgraded(sid);
            try (WsClient second = upgradeSocket(sid)) {
                assertEquals("1008 session already upgraded", second.awaitClose());
            }
            ws.send("429[\"cancel\",{\"task_id\":\"a\"}]");
            assertEquals("439[{\"cancelled\":false}]", ws.next());
        }
    }

    @Test
    void upgrade_secondWebSocketWhileOneProbes_closed() throws Exception {
        String sid = connected();
        try (WsClient ws = upgradeSocket(sid)) {
            ws.send("2probe");
            assertEquals("3probe", ws.next());
            try (WsClient second = upgradeSocket(sid)) {
                assertEquals("1008 session already upgraded", second.awaitClose());
            }
            ws.send("5");
        }
    }

    @Test
    void upgrade_mandatoryQueryParameterMissing_webSocketClosed() throws Exception {
        String sid = connected();
        for (String query : List.of("?transport=websocket&sid=" + sid, "?EIO=4&sid=" + sid)) {
            try (WsClient ws = new WsClient(server.wsUrl("/socket.io/" + query), Map.of("Cookie", cookie()))) {
                assertEquals("1002 unsupported protocol version or transport", ws.awaitClose());
            }
        }
        assertTrue(server.polling().find(sid).isPresent(), "the polling session goes on");
    }

    @Test
    void upgrade_unknownSid_webSocketClosed() throws Exception {
        try (WsClient ws = upgradeSocket("AAAAAAAAAAAAAAAAAAAA")) {
            assertEquals("1008 session ID unknown", ws.awaitClose());
        }
    }

    @Test
    void upgrade_eventsPublishedAcrossTheSwitch_eachArrivesExactlyOnceInOrder() throws Exception {
        String sid = connected();
        StringBuilder seen = new StringBuilder();
        publishDelta(1);
        try (WsClient ws = upgradeSocket(sid)) {
            ws.send("2probe");
            assertEquals("3probe", ws.next());
            publishDelta(2);
            collect(seen, poll(sid));   // the client's GET in flight when it paused: what waits, at once
            publishDelta(3);            // while polling is paused: held for the WebSocket
            ws.send("5");
            publishDelta(4);
            while (!seen.toString().contains("d4")) {
                collect(seen, ws.next());
            }
        }
        assertEquals("d1d2d3d4", seen.toString());
    }

    // ---- Origin and CORS ----

    @Test
    void origin_foreign_403OnEveryRequest() throws Exception {
        assertRefused(get("?EIO=4&transport=polling", "Origin", "https://evil.example"), 403,
                "{\"code\":4,\"message\":\"Forbidden\"}");
        String sid = handshake();
        assertRefused(send("POST", "?EIO=4&transport=polling&sid=" + sid, "40", "Origin", "https://evil.example"), 403,
                "{\"code\":4,\"message\":\"Forbidden\"}");
        assertRefused(get("?EIO=4&transport=polling&sid=" + sid, "Origin", "https://evil.example"), 403,
                "{\"code\":4,\"message\":\"Forbidden\"}");
    }

    @Test
    void origin_allowed_corsWithCredentials_andPreflightAnswered() throws Exception {
        HttpResponse<String> r = get("?EIO=4&transport=polling", "Origin", "https://app.example");
        assertEquals(200, r.statusCode());
        assertEquals("https://app.example", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("true", r.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
        HttpResponse<String> preflight = send("OPTIONS", "?EIO=4&transport=polling", "", "Origin", "https://app.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
        assertEquals(204, preflight.statusCode());
        assertEquals("GET, POST, OPTIONS", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
        assertEquals("authorization", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""));
        assertEquals("https://app.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    }

    // ---- helpers ----

    static void publishDelta(int n) {
        server.hub.publish(user, ProgressEvent.delta(EventType.TEXT, "switch", n, "2026-11-24T10:15:30.123Z", "d" + n));
    }

    /** Appends the texts of the ai_progress packets in a payload or frame. */
    static void collect(StringBuilder seen, String payload) {
        Matcher m = Pattern.compile("\"text\":\"(d\\d)\"").matcher(payload);
        while (m.find()) {
            seen.append(m.group(1));
        }
    }

    static void awaitParked(String sid) throws InterruptedException {
        await(() -> parked(sid), "a GET parked in " + sid);
    }

    static boolean parked(String sid) {
        return server.polling().find(sid).map(PollingSessionProbe::parked).orElse(false);
    }

    static void awaitPostActive(String sid) throws InterruptedException {
        await(() -> server.polling().find(sid).map(PollingSessionProbe::postActive).orElse(false), "a POST being read");
    }

    static void awaitUpgraded(String sid) throws InterruptedException {
        await(() -> server.polling().find(sid).map(PollingSessionProbe::upgraded).orElse(false), "the upgrade of " + sid);
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(10), condition, "gave up waiting for " + what);
    }
}
