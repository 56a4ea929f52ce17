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
 *
 * <p>The buffers it works in are reused from read to read (a stream decodes thousands of reads), so
 * what {@link #decode} returns is valid only until the next {@code decode}: the caller frames it at
 * once, as the body subscriber does.
 */
public final class Utf8StreamDecoder {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** The start of a character whose remaining bytes have not arrived yet (at most 3 bytes). */
    private final byte[] pending = new byte[4];
    private int pendingLength;
    /** Pending bytes followed by the next read, when a character straddles reads; grown as needed. */
    private ByteBuffer joined = ByteBuffer.allocate(0);
    /** What {@link #decode} returns; grown as needed, never shrunk below the largest read seen. */
    private CharBuffer out = CharBuffer.allocate(0);

    /**
     * Decodes what {@code bytes} completes; consumes the buffer. The result is valid until the
     * next call to {@code decode}.
     */
    public CharBuffer decode(ByteBuffer bytes) {
        ByteBuffer input = bytes;
        if (pendingLength > 0) {
            int needed = pendingLength + bytes.remaining();
            if (joined.capacity() < needed) {
                joined = ByteBuffer.allocate(needed);
            }
            joined.clear();
            joined.put(pending, 0, pendingLength).put(bytes).flip();
            input = joined;
        }
        // UTF-8 never yields more chars than bytes.
        out = run(input, false, reuse(input.remaining())).flip();
        pendingLength = input.remaining();
        input.get(pending, 0, pendingLength);
        return out;
    }

    /** The end of the body: an unfinished character becomes U+FFFD. Returns a buffer of its own. */
    public CharBuffer finish() {
        // Room for the replacement of the held bytes and for whatever flush adds.
        CharBuffer tail = run(ByteBuffer.wrap(pending, 0, pendingLength), true, CharBuffer.allocate(pendingLength + 8));
        pendingLength = 0;
        decoder.flush(tail);
        decoder.reset();
        return tail.flip();
    }

    private CharBuffer reuse(int chars) {
        if (out.capacity() < chars) {
            return CharBuffer.allocate(Math.max(chars, 2 * out.capacity()));
        }
        return out.clear();
    }

    /** Decodes into {@code into} (grown on overflow) and returns it unflipped. */
    private CharBuffer run(ByteBuffer input, boolean endOfInput, CharBuffer into) {
        CharBuffer target = into;
        while (true) {
            CoderResult result = decoder.decode(input, target, endOfInput);
            if (!result.isOverflow()) {
                break;
            }
            CharBuffer bigger = CharBuffer.allocate(Math.max(16, target.capacity() * 2));
            target.flip();
            bigger.put(target);
            target = bigger;
        }
        return target;
    }
}
