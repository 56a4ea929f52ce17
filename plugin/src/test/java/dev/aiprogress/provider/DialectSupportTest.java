package dev.aiprogress.provider;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.aiprogress.provider.FrameFeed.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DialectSupportTest {

    @Test
    void dataUrl_base64_splitsTypeAndData() {
        assertEquals(Optional.of(new DialectSupport.DataUrl("image/webp", "UklGR")), DialectSupport.dataUrl("data:image/webp;base64,UklGR"));
        assertEquals(Optional.of(new DialectSupport.DataUrl("application/octet-stream", "AAAA")), DialectSupport.dataUrl("DATA:;BASE64,AAAA"));
    }

    @Test
    void dataUrl_httpsUrl_isEmpty() {
        assertEquals(Optional.empty(), DialectSupport.dataUrl("https://example.com/a.png"));
    }

    @Test
    void dataUrl_notBase64_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DialectSupport.dataUrl("data:text/plain,hello"));
        assertEquals("image data URL must be base64 encoded (data:<type>;base64,...)", e.getMessage());
    }

    @Test
    void requireObject_blankArrayOrBroken_emptyObjectOrRefused() {
        assertEquals(JsonObject.EMPTY_JSON_OBJECT, DialectSupport.requireObject(JSON, " ", "x"));
        assertEquals("tool t: parameters is not a JSON object",
                assertThrows(IllegalArgumentException.class, () -> DialectSupport.requireObject(JSON, "[1]", "tool t: parameters")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DialectSupport.requireObject(JSON, "{\"a\":", "x"));
    }

    @Test
    void systemTextAndToolNames_fromHistory() {
        ChatMessage call = new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(), Optional.empty(),
                List.of(new ChatMessage.ToolCallRef("c1", "now", "{}")));
        List<ChatMessage> history = List.of(ChatMessage.of(ChatMessage.Role.SYSTEM, "A"), ChatMessage.of(ChatMessage.Role.USER, "u"),
                ChatMessage.of(ChatMessage.Role.SYSTEM, ""), ChatMessage.of(ChatMessage.Role.SYSTEM, "B"), call);
        assertEquals("A\n\nB", DialectSupport.systemText(history));
        assertEquals(Map.of("c1", "now"), DialectSupport.toolNamesById(history));
    }

    @Test
    void keyHeader_keySetBlankOrAbsent_headerOnlyForARealKey() {
        ProviderSettings local = ProviderSettings.of("p", "ollama", java.net.URI.create("http://127.0.0.1:11434"), "m");

        assertEquals(Map.of("Authorization", "Bearer k1"), DialectSupport.keyHeader(local.withApiKey("k1"), "Authorization", "Bearer "));
        assertEquals(Map.of(), DialectSupport.keyHeader(local.withApiKey("  "), "x-api-key", ""));
        assertEquals(Map.of(), DialectSupport.keyHeader(local, "x-goog-api-key", ""));
    }
}
