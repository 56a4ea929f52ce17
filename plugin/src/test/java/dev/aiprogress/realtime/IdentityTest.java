package dev.aiprogress.realtime;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityTest {

    private final UserLookup lookup = new UserLookup() {
        @Override
        public Optional<String> userForSession(String sessionId) {
            return Map.of("abc123", "alice", "xyz", "bob").entrySet().stream()
                    .filter(e -> e.getKey().equals(sessionId)).map(Map.Entry::getValue).findFirst();
        }

        @Override
        public Optional<String> userForToken(String keyAndSecret) {
            return keyAndSecret.equals("k:s") ? Optional.of("carol") : Optional.empty();
        }
    };

    private static UpgradeRequest request(String cookie, String authorization) {
        return new UpgradeRequest(Optional.ofNullable(cookie), Optional.ofNullable(authorization), Optional.empty(),
                Optional.empty(), Map.of());
    }

    @Test
    void resolve_jettyAndTomcatSuffixedCookies_areNormalised() {
        assertEquals(Optional.of("alice"), Identity.resolve(request("sid=abc123.node0", null), Optional.empty(), lookup));
        assertEquals(Optional.of("alice"),
                Identity.resolve(request("a=1; JSESSIONID=abc123.route7", null), Optional.empty(), lookup));
    }

    @Test
    void resolve_cookieBeforeAuthSidBeforeToken() {
        assertEquals(Optional.of("bob"), Identity.resolve(request("sid=xyz", "token k:s"), Optional.of("abc123"), lookup));
        assertEquals(Optional.of("alice"), Identity.resolve(request("sid=unknown", "token k:s"), Optional.of("abc123"), lookup));
        assertEquals(Optional.of("carol"), Identity.resolve(request(null, "token k:s"), Optional.of("nope"), lookup));
        assertEquals(Optional.empty(), Identity.resolve(request(null, "Bearer k:s"), Optional.empty(), lookup));
    }

    @Test
    void originAllowed_defaultPolicy_isSameHostOrNoOrigin() {
        assertTrue(Identity.originAllowed(Optional.empty(), Optional.of("h:8080"), List.of()));
        assertTrue(Identity.originAllowed(Optional.of("http://h:8080"), Optional.of("h:8080"), List.of()));
        assertTrue(Identity.originAllowed(Optional.of("https://h"), Optional.of("h:443"), List.of()));
        assertFalse(Identity.originAllowed(Optional.of("http://evil:8080"), Optional.of("h:8080"), List.of()));
        assertFalse(Identity.originAllowed(Optional.of("null"), Optional.of("h"), List.of()));
    }

    @Test
    void originAllowed_allowList_isExact() {
        assertTrue(Identity.originAllowed(Optional.of("https://app.example"), Optional.of("h"), List.of("https://app.example")));
        assertFalse(Identity.originAllowed(Optional.of("https://h"), Optional.of("h"), List.of("https://app.example")));
    }

    @Test
    void jsonText_strictParsing_refusesNonJson() {
        assertEquals(Optional.of(Map.of("a", List.of(1L, "x", true))), JsonText.parse(" {\"a\":[1,\"x\",true]} "));
        assertTrue(JsonText.parse("{'a':1}").isEmpty());
        assertTrue(JsonText.parse("[1,]").isEmpty());
        assertTrue(JsonText.parse("01").isEmpty());
        assertTrue(JsonText.parse("\"\\uZZZZ\"").isEmpty());
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", JsonText.quote("a\"b\\c\n\u0001"));
    }
}
