package dev.aiprogress.realtime;

import dev.aiprogress.event.EventWriter;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client frames are read strictly: one RFC 8259 value or nothing. */
class ClientJsonTest {

    @Test
    void parse_strict_refusesNonJson() {
        Optional<JsonValue> value = ClientJson.parse(" {\"a\":[1,\"x\",true],\"n\":7} ");
        assertTrue(value.isPresent());
        assertEquals(Optional.of(7L), ClientJson.wholeNumber(value.get(), "n"));
        assertTrue(ClientJson.parse("{'a':1}").isEmpty());
        assertTrue(ClientJson.parse("[1,]").isEmpty());
        assertTrue(ClientJson.parse("01").isEmpty());
        assertTrue(ClientJson.parse("\"\\uZZZZ\"").isEmpty());
        assertTrue(ClientJson.parse("{} {}").isEmpty());
        assertTrue(ClientJson.parse("[".repeat(ClientJson.MAX_DEPTH + 2) + "]".repeat(ClientJson.MAX_DEPTH + 2)).isEmpty());
    }

    @Test
    void members_wrongTypes_areEmpty() {
        JsonValue v = ClientJson.parse("{\"s\":\"x\",\"f\":1.5,\"e\":1e3,\"big\":99999999999999999999}").orElseThrow();
        assertEquals(Optional.of("x"), ClientJson.string(v, "s"));
        assertEquals(Optional.empty(), ClientJson.string(v, "f"));
        assertEquals(Optional.empty(), ClientJson.wholeNumber(v, "f"));
        assertEquals(Optional.empty(), ClientJson.wholeNumber(v, "e"));
        assertEquals(Optional.empty(), ClientJson.wholeNumber(v, "big"));
    }

    @Test
    void quote_escapesAsEventTextsAre() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", EventWriter.quote("a\"b\\c\n\u0001"));
    }
}
