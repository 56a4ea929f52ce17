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

    @Test
    void decode_shortThenLongerReads_eachResultHoldsOnlyItsOwnText() {
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertEquals("ab", decoder.decode(ByteBuffer.wrap("ab".getBytes(StandardCharsets.UTF_8))).toString());
        assertEquals("x", decoder.decode(ByteBuffer.wrap(new byte[] {'x', euro[0]})).toString());
        String longer = "y".repeat(5000);
        byte[] rest = longer.getBytes(StandardCharsets.UTF_8);
        ByteBuffer next = ByteBuffer.allocate(2 + rest.length).put(euro, 1, 2).put(rest).flip();
        assertEquals("€" + longer, decoder.decode(next).toString());
        assertEquals("z", decoder.decode(ByteBuffer.wrap(new byte[] {'z'})).toString());
        assertEquals("", decoder.finish().toString());
    }
}
