package dev.aiprogress.provider.sse;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8StreamDecoderTest {

    private static String byteByByte(byte[] bytes) {
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(decoder.decode(ByteBuffer.wrap(new byte[] {b})));
        }
        return out.append(decoder.finish()).toString();
    }

    @Test
    void decode_emojiAndCjkByteByByte_exactText() {
        String text = "a😀中文é𝄞z";
        assertEquals(text, byteByByte(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void decode_splitAtEveryPosition_exactText() {
        String text = "x😀y中";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            Utf8StreamDecoder decoder = new Utf8StreamDecoder();
            String out = decoder.decode(ByteBuffer.wrap(bytes, 0, cut)).toString()
                    + decoder.decode(ByteBuffer.wrap(bytes, cut, bytes.length - cut)) + decoder.finish();
            assertEquals(text, out, "cut at " + cut);
        }
    }

    @Test
    void decode_malformedBytes_replacedNotThrown() {
        byte[] bytes = {'a', (byte) 0xFF, 'b', (byte) 0xC3};
        assertEquals("a\uFFFDb\uFFFD", byteByByte(bytes));
    }

    @Test
    void decode_consumesInputBuffer() {
        ByteBuffer buffer = ByteBuffer.wrap("hé".getBytes(StandardCharsets.UTF_8));
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        assertEquals("hé", decoder.decode(buffer).toString());
        assertEquals(0, buffer.remaining());
    }
}
