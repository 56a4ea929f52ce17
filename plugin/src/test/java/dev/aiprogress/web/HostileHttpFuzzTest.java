package dev.aiprogress.web;

import dev.aiprogress.web.http.PluginPaths;

import dev.aiprogress.testsupport.EmbeddedJetty;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile HTTP input against one embedded server: mutated and generated chat bodies (JSON, form,
 * deep nesting, wrong types, invalid UTF-8, raw control characters) and garbage headers
 * (Content-Type, Accept, Authorization, Cookie). Every input gets a clear 4xx with the Frappe body
 * or a valid reply; never a 5xx or a stack trace. After each property: no ERROR logged, the
 * plugin's threads within their pools' bounds, and a normal chat still works.
 */
class HostileHttpFuzzTest {

    static final int MAX_BODY = 16 * 1024;
    static EmbeddedJetty jetty;
    static HttpClient loggedIn;
    static HttpClient bare;
    static String cookie;
    static HostileInput.CapturedLogs logs;

    @BeforeContainer
    static void start() throws Exception {
        logs = new HostileInput.CapturedLogs();
        jetty = EmbeddedJetty.builder().users(E2e.USERS)
                .initParam("ai-progress.provider.scripted.pacing", "0")
                .initParam("ai-progress.limits.max-body-bytes", Integer.toString(MAX_BODY))
                .initParam("ai-progress.limits.max-messages", "8")
                .initParam("ai-progress.limits.max-content-chars", "2000")
                .initParam("ai-progress.auth.tokens-file", TokenFiles.write("alice", "tok-key", "tok-secret").toString())
                .start();
        loggedIn = jetty.newClient();
        assertEquals(200, jetty.login(loggedIn, "alice", "pw-alice").statusCode());
        cookie = E2e.sessionCookie(jetty, loggedIn);
        bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterContainer
    static void stop() throws Exception {
        jetty.close();
        logs.close();
    }

    @AfterProperty
    void serverIsStillHealthy() throws Exception {
        assertEquals(List.of(), logs.errors());
        List<String> threads = HostileInput.pluginThreads();
        assertTrue(threads.size() <= HostileInput.maxPluginThreads(), threads.toString());
        HostileInput.assertServesANormalChat(jetty, loggedIn);
    }

    static HttpResponse<String> post(byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(jetty.uri(ChatWeb.CHAT)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    /**
     * Sends once more, on a new connection, when a pooled keep-alive connection turned out closed
     * (the server may close after a refusal that left the body unread); any other failure fails.
     */
    static HttpResponse<String> send(HttpRequest request) throws Exception {
        try {
            return bare.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            return bare.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
    }

    // ---- bodies ----------------------------------------------------------------------------

    static final List<String> VALID = List.of(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
            "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
                    + "\"conversation_id\":\"c1\",\"mode\":\"chat\",\"temperature\":0.5,\"max_tokens\":100,\"task_id\":\"t-1\","
                    + "\"stream\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"},"
                    + "{\"role\":\"tool_result\",\"content\":\"r\"}],\"provider\":\"scripted\",\"context\":{\"file\":\"a.py\"}}");

    static final List<String> FIELDS = List.of("messages", "role", "content", "task_id", "temperature", "max_tokens",
            "provider", "model", "stream", "tools", "conversation_id", "mode", "context", "provider_state", "type", "text");

    @Provide
    Arbitrary<String> jsonValue() {
        return jsonValue(3);
    }

    static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "1e400", "-0.0", "99999999999999999999999", "1.5",
                        "\"\"", "\"user\"", "\"system\"", "\"tool\"", "\"x\"", "\"\\ud800\"", "\"\\u0000\"", "NaN", "[]", "{}"),
                Arbitraries.strings().ofMaxLength(20).map(dev.aiprogress.testsupport.Json::quote),
                Arbitraries.integers().map(Object::toString));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = jsonValue(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Combinators.combine(Arbitraries.of(FIELDS), jsonValue(depth - 1))
                .as((k, v) -> "\"" + k + "\":" + v).list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.oneOf(scalar, array, object);
    }

    /** A valid body changed a little: chars inserted, deleted, replaced, cut. */
    @Provide
    Arbitrary<byte[]> mutatedBody() {
        Arbitrary<Character> chars = Arbitraries.oneOf(Arbitraries.of('{', '}', '[', ']', '"', ':', ',', '\\', '\u0000',
                '\n', '\u001f', '\u007f', 'é', '\ud83c', '0', 'e', '-'), Arbitraries.chars());
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 10_000), chars, Arbitraries.integers().between(1, 20))
                .as(Mutation::new);
        return Combinators.combine(Arbitraries.of(VALID), mutation.list().ofMinSize(1).ofMaxSize(6)).as((body, ms) -> {
            StringBuilder sb = new StringBuilder(body);
            for (Mutation m : ms) {
                m.apply(sb);
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        });
    }

    record Mutation(int kind, int at, char c, int len) {
        void apply(StringBuilder sb) {
            int pos = sb.length() == 0 ? 0 : at % (sb.length() + 1);
            switch (kind) {
                case 0 -> sb.insert(pos, c);
                case 1 -> sb.delete(pos, Math.min(sb.length(), pos + len));
                case 2 -> {
                    if (pos < sb.length()) {
                        sb.setCharAt(pos, c);
                    }
                }
                default -> sb.setLength(pos);
            }
        }
    }

    /** A chat body whose known fields hold anything at all. */
    @Provide
    Arbitrary<byte[]> wrongTypes() {
        Arbitrary<String> member = Combinators.combine(Arbitraries.of(FIELDS), jsonValue(3)).as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> message = member.list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
        return Combinators.combine(message.list().ofMaxSize(4), member.list().ofMaxSize(4)).as((messages, rest) -> {
            List<String> all = new ArrayList<>(rest);
            all.add(0, "\"messages\":[" + String.join(",", messages) + "]");
            return ("{" + String.join(",", all) + "}").getBytes(StandardCharsets.UTF_8);
        });
    }

    /**
     * Deep nesting (arrays or objects) where messages or a content is expected, up to the body limit
     * (bodies over it are ChatValidationWebTest's and LimitsEdgeWebTest's: the server may answer 413
     * and close before the client has sent everything).
     */
    @Provide
    Arbitrary<byte[]> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(1, MAX_BODY / 2 - 64), Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of("", "{\"messages\":", "{\"messages\":[{\"role\":\"user\",\"content\":")).as((n, open, prefix) -> {
            String close = open.equals("[") ? "]" : "}";
            int depth = n / open.length();
            StringBuilder sb = new StringBuilder(prefix);
            sb.append(open.repeat(depth)).append("1").append(close.repeat(depth));
            if (!prefix.isEmpty()) {
                sb.append(prefix.endsWith(":") && prefix.contains("content") ? "}]}" : "}");
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        });
    }

    /** Valid bodies with invalid UTF-8 sequences spliced in (lone continuation, overlong, surrogates, 0xFF). */
    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        Arbitrary<byte[]> bad = Arbitraries.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3, 0x28},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xF0});
        return Combinators.combine(Arbitraries.of(VALID), Arbitraries.integers().between(0, 10_000), bad).as((body, at, b) -> {
            byte[] valid = body.getBytes(StandardCharsets.UTF_8);
            int pos = at % (valid.length + 1);
            byte[] out = new byte[valid.length + b.length];
            System.arraycopy(valid, 0, out, 0, pos);
            System.arraycopy(b, 0, out, pos, b.length);
            System.arraycopy(valid, pos, out, pos + b.length, valid.length - pos);
            return out;
        });
    }

    /** Form bodies: random fields and values, percent-escapes valid or not, a {@code messages} field holding anything. */
    @Provide
    Arbitrary<byte[]> formBody() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("%", "%zz", "%C3%28", "%FF", "%00", "+", "=", "&&", "[{\"role\":\"user\",\"content\":\"hi\"}]"),
                jsonValue(2));
        Arbitrary<String> field = Combinators.combine(Arbitraries.of(FIELDS), value, Arbitraries.of(true, false))
                .as((k, v, encode) -> k + "=" + (encode ? java.net.URLEncoder.encode(v, StandardCharsets.UTF_8) : v));
        return field.list().ofMaxSize(5).map(l -> String.join("&", l).getBytes(StandardCharsets.UTF_8));
    }

    static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "application/x-www-form-urlencoded", "text/plain", "application/xml", "multipart/form-data; boundary=x",
            "application/json; charset=latin1", "*/*", ";;;", "application/json; charset=\"", "");

    @Property
    void chatBody_mutatedJson_clearErrorOrValidReply(@ForAll("mutatedBody") byte[] body) throws Exception {
        HttpResponse<String> r = post(body, Map.of("Content-Type", "application/json", "Cookie", cookie));
        HostileInput.assertClearChatAnswer(r.statusCode(), r.body());
    }

    @Property
    void chatBody_wrongTypes_clearErrorOrValidReply(@ForAll("wrongTypes") byte[] body) throws Exception {
        HttpResponse<String> r = post(body, Map.of("Content-Type", "application/json", "Cookie", cookie));
        HostileInput.assertClearChatAnswer(r.statusCode(), r.body());
    }

    @Property
    void chatBody_deepNesting_clearErrorOrValidReply(@ForAll("deepNesting") byte[] body) throws Exception {
        HttpResponse<String> r = post(body, Map.of("Content-Type", "application/json", "Cookie", cookie));
        HostileInput.assertClearChatAnswer(r.statusCode(), r.body());
    }

    @Property
    void chatBody_invalidUtf8_clearErrorOrValidReply(@ForAll("invalidUtf8") byte[] body) throws Exception {
        HttpResponse<String> r = post(body, Map.of("Content-Type", "application/json", "Cookie", cookie));
        HostileInput.assertClearChatAnswer(r.statusCode(), r.body());
    }

    @Property
    void chatBody_form_clearErrorOrValidReply(@ForAll("formBody") byte[] body) throws Exception {
        HttpResponse<String> r = post(body, Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie));
        HostileInput.assertClearChatAnswer(r.statusCode(), r.body());
    }

    // ---- headers ---------------------------------------------------------------------------

    /** Header-legal garbage: visible ASCII, spaces and tabs, and some look-alikes of real values. */
    static Arbitrary<String> headerGarbage(String... lookAlikes) {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange(' ', '~').withChars('\t').ofMaxLength(60)
                        .map(String::strip).filter(s -> !s.isEmpty()),
                Arbitraries.of(lookAlikes));
    }

    @Provide
    Arbitrary<Map<String, String>> headers() {
        Arbitrary<String> contentType = Arbitraries.oneOf(Arbitraries.of(CONTENT_TYPES).filter(s -> !s.isEmpty()),
                headerGarbage("application/json;;", "json"));
        Arbitrary<String> accept = headerGarbage("text/event-stream", "application/json", "*/*", "text/event-stream;q=0",
                "text/html", "text/event-stream, application/json");
        Arbitrary<String> authorization = headerGarbage("token", "token :", "token tok-key:", "token tok-key:wrong",
                "token :tok-secret", "token tok-key:tok-secret:x", "Basic", "Basic !!!", "Basic YWxpY2U=",
                "Basic YWxpY2U6d3Jvbmc=", "Bearer x", "token " + "k".repeat(2000) + ":s");
        Arbitrary<String> cookies = headerGarbage("sid=", "sid=;sid=x", "sid=../../etc", "sid=" + "a".repeat(3000),
                "sid=node0xyz.node0", "=;=;=", "sid=\"quoted\"", "system_user=yes; user_id=alice; full_name=x");
        Arbitrary<Map<String, String>> none = Arbitraries.just(Map.of());
        return Combinators.combine(
                Arbitraries.oneOf(contentType.map(v -> Map.of("Content-Type", v)), none),
                Arbitraries.oneOf(accept.map(v -> Map.of("Accept", v)), none),
                Arbitraries.oneOf(authorization.map(v -> Map.of("Authorization", v)), none),
                Arbitraries.oneOf(cookies.map(v -> Map.of("Cookie", v)), cookies.map(v -> Map.of("Cookie", v + "; " + cookie)), none))
                .as((a, b, c, d) -> {
                    Map<String, String> all = new java.util.LinkedHashMap<>();
                    all.putAll(a);
                    all.putAll(b);
                    all.putAll(c);
                    all.putAll(d);
                    return all;
                });
    }

    @Property
    void chatHeaders_garbage_clearErrorOrValidReply(@ForAll("headers") Map<String, String> headers) throws Exception {
        HttpResponse<String> r = post(VALID.get(0).getBytes(StandardCharsets.UTF_8), headers);
        HostileInput.assertClearChatAnswer(r.statusCode(), r.body());
    }

    @Property
    void loggedUserAndCancel_garbageHeaders_clearErrorOrValidReply(@ForAll("headers") Map<String, String> headers)
            throws Exception {
        for (String path : List.of(PluginPaths.LOGGED_USER, ChatWeb.CANCEL, PluginPaths.LOGIN)) {
            HttpRequest.Builder b = HttpRequest.newBuilder(jetty.uri(path)).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("task_id=nope&usr=alice&pwd=x"));
            headers.forEach(b::header);
            HttpResponse<String> r = send(b.build());
            assertTrue(r.statusCode() < 500, () -> path + " " + r.statusCode() + " " + r.body());
            HostileInput.assertNoInternals(r.body());
        }
    }
}
