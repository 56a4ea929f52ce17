package dev.aiprogress.provider.sse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one body's bytes to chars across network reads. A multi-byte character split between two
 * buffers is held back until its last byte arrives, so it never becomes U+FFFD; bytes that are not
 * UTF-8 do become U+FFFD and never throw. One instance per body, not thread-safe.
 */
public final class Utf8StreamDecoder {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** The start of a character whose remaining bytes have not arrived yet (at most 3 bytes). */
    private ByteBuffer pending = ByteBuffer.allocate(0);

    /** Decodes what {@code bytes} completes; consumes the buffer. */
    public CharBuffer decode(ByteBuffer bytes) {
        ByteBuffer input = bytes;
        if (pending.hasRemaining()) {
            input = ByteBuffer.allocate(pending.remaining() + bytes.remaining());
            input.put(pending).put(bytes).flip();
        }
        CharBuffer out = run(input, false);
        if (input.hasRemaining()) {
            pending = ByteBuffer.allocate(input.remaining());
            pending.put(input).flip();
        } else {
            pending = ByteBuffer.allocate(0);
        }
        return out;
    }

    /** The end of the body: an unfinished character becomes U+FFFD. */
    public CharBuffer finish() {
        CharBuffer out = run(pending, true);
        pending = ByteBuffer.allocate(0);
        CharBuffer tail = CharBuffer.allocate(out.remaining() + 4);
        tail.put(out);
        decoder.flush(tail);
        decoder.reset();
        return tail.flip();
    }

    private CharBuffer run(ByteBuffer input, boolean endOfInput) {
        // UTF-8 never yields more chars than bytes, plus one replacement for held-back bytes.
        CharBuffer out = CharBuffer.allocate(input.remaining() + 4);
        while (true) {
            CoderResult result = decoder.decode(input, out, endOfInput);
            if (!result.isOverflow()) {
                break;
            }
            CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2);
            out.flip();
            bigger.put(out);
            out = bigger;
        }
        return out.flip();
    }
}
