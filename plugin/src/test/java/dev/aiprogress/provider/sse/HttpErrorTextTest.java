package dev.aiprogress.provider.sse;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpErrorTextTest {

    private final JsonProvider json = JsonProvider.provider();

    @Test
    void describe_openAiErrorObject_usesMessage() {
        assertEquals("upstream returned HTTP 401: Incorrect API key provided",
                HttpErrorText.describe(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"x\"}}", json));
    }

    @Test
    void describe_errorString_usesIt() {
        assertEquals("upstream returned HTTP 500: model crashed", HttpErrorText.describe(500, "{\"error\":\"model crashed\"}", json));
    }

    @Test
    void describe_geminiErrorInArray_usesMessage() {
        assertEquals("upstream returned HTTP 400: API key not valid",
                HttpErrorText.describe(400, "[{\"error\":{\"code\":400,\"message\":\"API key not valid\",\"status\":\"INVALID_ARGUMENT\"}}]", json));
    }

    @Test
    void describe_anthropicError_usesNestedMessage() {
        assertEquals("upstream returned HTTP 529: Overloaded",
                HttpErrorText.describe(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", json));
    }

    @Test
    void describe_htmlPage_saysHtml() {
        assertEquals("upstream returned an HTML error page (HTTP 502)",
                HttpErrorText.describe(502, "\n<!DOCTYPE html><html><body>Bad gateway</body></html>", json));
    }

    @Test
    void describe_plainText_firstLineClipped() {
        String longLine = "e".repeat(300);
        assertEquals("upstream returned HTTP 503: " + "e".repeat(200) + "…",
                HttpErrorText.describe(503, "\n" + longLine + "\nsecond", json));
    }

    @Test
    void describe_emptyBody_statusOnly() {
        assertEquals("upstream returned HTTP 500", HttpErrorText.describe(500, "", json));
    }

    @Test
    void describe_cutOffJson_firstLine() {
        assertEquals("upstream returned HTTP 400: {\"error\":{\"mess", HttpErrorText.describe(400, "{\"error\":{\"mess", json));
    }

    @Test
    void describeDetailFirst_jsonMentioningHtmlOrLongDetail_readsJsonAndClips() {
        String detail = "é".repeat(250);
        Function<JsonObject, Optional<String>> errorString = o -> o.get("error") instanceof JsonString s
                ? Optional.of(s.getString()) : Optional.empty();
        assertEquals("<html> is not allowed here (HTTP 400)",
                HttpErrorText.describeDetailFirst(400, "{\"error\":\"<html> is not allowed here\"}", json, errorString));
        assertEquals("é".repeat(200) + "… (HTTP 400)",
                HttpErrorText.describeDetailFirst(400, "{\"error\":\"" + detail + "\"}", json, errorString));
        assertEquals("Bad Gateway (HTTP 502)",
                HttpErrorText.describeDetailFirst(502, "Bad Gateway\r\nmore", json, o -> Optional.empty()));
    }

    @Test
    void describeDetailFirst_blankBody_saysEmpty() {
        assertEquals("upstream returned HTTP 401 with an empty body", HttpErrorText.describeDetailFirst(401, " \n", json, o -> Optional.empty()));
    }

    @Test
    void describe_markupWithBodyAfterOtherTag_saysHtml() {
        assertEquals("upstream returned an HTML error page (HTTP 503)",
                HttpErrorText.describe(503, "<center><body>Service Unavailable</body></center>", json));
    }

    @Test
    void retryAfter_seconds_parsed() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse(" 7 ", Clock.systemUTC()));
    }

    @Test
    void retryAfter_httpDate_durationFromNow() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Tue, 24 Nov 2026 10:01:30 GMT", clock));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Tue, 24 Nov 2026 09:01:30 GMT", clock));
    }

    @Test
    void retryAfter_garbage_empty() {
        assertEquals(Optional.empty(), RetryAfter.parse("soon", Clock.systemUTC()));
    }

    @Test
    void redact_keyAndBearer_removed() {
        SecretRedactor redactor = new SecretRedactor(Optional.of("sk-secret"));
        assertEquals("bad header Bearer [redacted] for key [redacted]",
                redactor.redact("bad header Bearer sk-secret for key sk-secret"));
    }
}
