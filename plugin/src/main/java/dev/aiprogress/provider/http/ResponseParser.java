package dev.aiprogress.provider.http;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.1 response from the bytes of a connection, as they come: the status line and
 * headers (interim 1xx responses skipped), then the body framed by {@code Transfer-Encoding: chunked},
 * {@code Content-Length}, or the end of the connection (RFC 9112 §6.3). Body bytes go to the sink
 * as slices of the input, without copying. Fails closed with a {@link ProtocolException} on
 * anything it cannot frame. One instance per response; not thread-safe.
 */
final class ResponseParser {

    /** Where the parsed parts go. */
    interface Sink {
        void head(ResponseHead head) throws IOException;

        /** Body bytes, valid only during the call. */
        void body(ByteBuffer bytes) throws IOException;

        /** The body ended as its framing says. */
        void end() throws IOException;
    }

    /** The longest status line plus headers accepted. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    /** The longest chunk-size or trailer line accepted. */
    static final int MAX_LINE_BYTES = 4 * 1024;

    private enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, UNTIL_EOF, DONE }

    private final Sink sink;
    /** Only a head is expected (the answer to CONNECT: the tunnel's bytes follow it). */
    private final boolean headOnly;
    private State state = State.HEAD;
    /** The head, or the current chunk-size / trailer line, as it accumulates. */
    private byte[] line = new byte[256];
    private int lineLength;
    /** Body bytes still due: of the Content-Length, or of the current chunk. */
    private long remaining;
    private boolean keepAlive;

    ResponseParser(Sink sink) {
        this(sink, false);
    }

    ResponseParser(Sink sink, boolean headOnly) {
        this.sink = sink;
        this.headOnly = headOnly;
    }

    /** True once the whole response was read. */
    boolean done() {
        return state == State.DONE;
    }

    /** After {@link #done()}: the connection may carry another exchange. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** Consumes {@code in} up to its limit or the end of the response, whichever comes first. */
    void feed(ByteBuffer in) throws IOException {
        while (in.hasRemaining() && state != State.DONE) {
            switch (state) {
                case HEAD -> readHead(in);
                case LENGTH -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    deliver(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        finish();
                    }
                }
                case UNTIL_EOF -> deliver(in, in.remaining());
                case CHUNK_SIZE -> {
                    if (readLine(in)) {
                        startChunk(chunkSize());
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    deliver(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_END;
                    }
                }
                case CHUNK_DATA_END -> {
                    if (readLine(in)) {
                        if (lineLength != 0) {
                            throw new ProtocolException("chunk data longer than its size");
                        }
                        state = State.CHUNK_SIZE;
                    }
                }
                case TRAILER -> {
                    if (readLine(in)) {
                        if (lineLength == 0) {
                            finish();
                        }
                        lineLength = 0;
                    }
                }
                case DONE -> { }
            }
        }
    }

    /**
     * The peer closed the connection: ends a body framed by the connection's end; anywhere else the
     * response is cut short.
     */
    void endOfInput() throws IOException {
        if (state == State.UNTIL_EOF) {
            state = State.DONE;
            sink.end();
        } else if (state != State.DONE) {
            throw new java.io.EOFException(state == State.HEAD
                    ? "connection closed before a response" : "connection closed inside the response body");
        }
    }

    private void deliver(ByteBuffer in, int n) throws IOException {
        if (n == 0) {
            return;
        }
        ByteBuffer slice = in.slice();
        slice.limit(n);
        in.position(in.position() + n);
        sink.body(slice);
    }

    private void finish() throws IOException {
        state = State.DONE;
        sink.end();
    }

    // ---- head ---------------------------------------------------------------------------------

    private void readHead(ByteBuffer in) throws IOException {
        while (in.hasRemaining()) {
            byte b = in.get();
            append(b, MAX_HEAD_BYTES, "response head");
            // the head ends with an empty line: CRLF CRLF (a bare LF is tolerated, RFC 9112 §2.2)
            if (b == '\n' && (endsWith("\n\n") || endsWith("\n\r\n"))) {
                String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
                lineLength = 0;
                ResponseHead head = parseHead(text);
                if (head.status() >= 100 && head.status() < 200) {
                    continue; // interim (100 Continue, 103 Early Hints): the real head follows
                }
                if (headOnly) {
                    state = State.DONE;
                    sink.head(head);
                    return;
                }
                startBody(head);
                sink.head(head);
                if (state == State.DONE) {
                    sink.end();
                }
                return;
            }
        }
    }

    private boolean endsWith(String tail) {
        if (lineLength < tail.length()) {
            return false;
        }
        for (int i = 0; i < tail.length(); i++) {
            if (line[lineLength - tail.length() + i] != tail.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static ResponseHead parseHead(String text) throws ProtocolException {
        String[] lines = text.split("\r?\n");
        String status = lines[0];
        // HTTP/1.1 200 OK
        if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
            throw new ProtocolException("not an HTTP/1.x status line");
        }
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new ProtocolException("status code is not a number");
        }
        if (code < 100 || code > 999) {
            throw new ProtocolException("status code out of range");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String h = lines[i];
            if (h.isEmpty()) {
                continue;
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("malformed header line");
            }
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(h.substring(colon + 1).trim());
        }
        return new ResponseHead(code, status.charAt(7) == '1', headers);
    }

    private void startBody(ResponseHead head) throws ProtocolException {
        keepAlive = head.http11()
                ? !head.hasToken("connection", "close")
                : head.hasToken("connection", "keep-alive");
        if (head.status() == 204 || head.status() == 304) {
            state = State.DONE;
            return;
        }
        List<String> te = head.values("transfer-encoding");
        if (!te.isEmpty()) {
            String[] codings = String.join(",", te).split(",");
            if (!codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
                // framed by the connection's end (RFC 9112 §6.3 rule 4)
                state = State.UNTIL_EOF;
                keepAlive = false;
                return;
            }
            state = State.CHUNK_SIZE;
            return;
        }
        List<String> lengths = head.values("content-length");
        if (!lengths.isEmpty()) {
            long length;
            try {
                length = Long.parseLong(lengths.get(0));
            } catch (NumberFormatException e) {
                throw new ProtocolException("Content-Length is not a number");
            }
            for (String other : lengths) {
                if (!other.equals(lengths.get(0))) {
                    throw new ProtocolException("conflicting Content-Length headers");
                }
            }
            if (length < 0) {
                throw new ProtocolException("negative Content-Length");
            }
            remaining = length;
            state = length == 0 ? State.DONE : State.LENGTH;
            return;
        }
        state = State.UNTIL_EOF;
        keepAlive = false;
    }

    // ---- chunked ------------------------------------------------------------------------------

    /** Accumulates one line (without its CRLF or LF); true once it is complete. */
    private boolean readLine(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
            append(b, MAX_LINE_BYTES, "chunk line");
        }
        return false;
    }

    private long chunkSize() throws ProtocolException {
        long size = 0;
        int digits = 0;
        for (int i = 0; i < lineLength; i++) {
            int c = line[i];
            int d = Character.digit(c, 16);
            if (d < 0) {
                if (c == ';' || c == ' ' || c == '\t') {
                    break; // chunk extensions are ignored
                }
                throw new ProtocolException("malformed chunk size");
            }
            if (++digits > 15) {
                throw new ProtocolException("chunk size too large");
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            throw new ProtocolException("malformed chunk size");
        }
        lineLength = 0;
        return size;
    }

    private void startChunk(long size) {
        if (size == 0) {
            state = State.TRAILER;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    private void append(byte b, int limit, String what) throws ProtocolException {
        if (lineLength == limit) {
            throw new ProtocolException(what + " longer than " + limit + " bytes");
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(limit, line.length * 2));
        }
        line[lineLength++] = b;
    }
}
