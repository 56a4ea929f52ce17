package dev.aiprogress.provider.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact framing of responses, fed in any cuts. */
class ResponseParserTest {

    /** What the sink saw. */
    static final class Seen implements ResponseParser.Sink {
        final List<ResponseHead> heads = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int ends;

        @Override
        public void head(ResponseHead head) {
            heads.add(head);
        }

        @Override
        public void body(ByteBuffer bytes) {
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            body.writeBytes(b);
        }

        @Override
        public void end() {
            ends++;
        }
    }

    private static Seen parse(String wire, int... cuts) throws IOException {
        Seen seen = new Seen();
        ResponseParser p = new ResponseParser(seen);
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        for (int cut : cuts) {
            p.feed(ByteBuffer.wrap(bytes, from, cut - from));
            from = cut;
        }
        p.feed(ByteBuffer.wrap(bytes, from, bytes.length - from));
        return seen;
    }

    static final String CHUNKED = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "b\r\ndata: héll\r\n" + "4;ext=1\r\no\n\n\n\r\n" + "0\r\nX-Trailer: t\r\n\r\n";

    @Test
    void chunked_withExtensionsAndTrailers_givesTheBodyAndOneEnd() throws IOException {
        Seen seen = parse(CHUNKED);
        assertEquals(200, seen.heads.get(0).status());
        assertEquals("text/event-stream", seen.heads.get(0).firstValue("content-type").orElseThrow());
        assertEquals("data: héllo\n\n\n", seen.body.toString(StandardCharsets.UTF_8));
        assertEquals(1, seen.ends);
    }

    @Property(tries = 300)
    void chunked_cutAnywhere_sameResult(@ForAll @IntRange(min = 1, max = 150) int a, @ForAll @IntRange(min = 1, max = 150) int b)
            throws IOException {
        int length = CHUNKED.getBytes(StandardCharsets.UTF_8).length;
        int first = Math.min(a, b) % length;
        int second = Math.max(a, b) % length;
        Seen seen = first < second ? parse(CHUNKED, first, second) : parse(CHUNKED, Math.max(first, second));
        assertEquals("data: héllo\n\n\n", seen.body.toString(StandardCharsets.UTF_8));
        assertEquals(1, seen.ends);
        assertEquals(1, seen.heads.size());
    }

    @Test
    void interimResponses_areSkipped() throws IOException {
        Seen seen = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertEquals(1, seen.heads.size());
        assertEquals(200, seen.heads.get(0).status());
        assertEquals("ok", seen.body.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noContentAndZeroLength_endRightAfterTheHead() throws IOException {
        assertEquals(1, parse("HTTP/1.1 204 No Content\r\n\r\n").ends);
        assertEquals(1, parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").ends);
    }

    @Test
    void bareLineFeeds_areTolerated() throws IOException {
        Seen seen = parse("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nhi\n0\n\n");
        assertEquals("hi", seen.body.toString(StandardCharsets.UTF_8));
        assertEquals(1, seen.ends);
    }

    @Test
    void keepAlive_followsVersionAndConnectionHeader() throws IOException {
        assertTrue(keepAlive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertFalse(keepAlive("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n"));
        assertFalse(keepAlive("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertTrue(keepAlive("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"));
    }

    private static boolean keepAlive(String wire) throws IOException {
        ResponseParser p = new ResponseParser(new Seen());
        p.feed(ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(p.done());
        return p.keepAlive();
    }

    @Test
    void closeDelimited_endsAtEndOfInput_elsewhereEndOfInputIsAnError() throws IOException {
        Seen seen = new Seen();
        ResponseParser p = new ResponseParser(seen);
        p.feed(ByteBuffer.wrap("HTTP/1.1 200 OK\r\n\r\nall of it".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(0, seen.ends);
        p.endOfInput();
        assertEquals(1, seen.ends);
        assertEquals("all of it", seen.body.toString(StandardCharsets.UTF_8));
        assertFalse(p.keepAlive());

        ResponseParser cut = new ResponseParser(new Seen());
        cut.feed(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort".getBytes(StandardCharsets.ISO_8859_1)));
        assertThrows(EOFException.class, cut::endOfInput);
        assertThrows(EOFException.class, new ResponseParser(new Seen())::endOfInput);
    }

    @Test
    void malformed_failsClosed() {
        assertThrows(ProtocolException.class, () -> parse("SMTP ready\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> parse("HTTP/1.1 2x0 OK\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> parse("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        assertThrows(ProtocolException.class, () -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n"));
        assertThrows(ProtocolException.class, () -> parse("HTTP/1.1 200 OK\r\nX: " + "y".repeat(70_000) + "\r\n\r\n"));
    }
}
