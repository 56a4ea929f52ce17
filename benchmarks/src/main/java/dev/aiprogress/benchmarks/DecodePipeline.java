package dev.aiprogress.benchmarks;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ChatRequest;
import dev.aiprogress.provider.FrameParser;
import dev.aiprogress.provider.FrameParser.StreamFailure;
import dev.aiprogress.provider.WireDialect;
import dev.aiprogress.provider.sse.FrameDecoder;
import dev.aiprogress.provider.sse.FrameSink;
import dev.aiprogress.provider.sse.NdjsonDecoder;
import dev.aiprogress.provider.sse.SseDecoder;
import dev.aiprogress.provider.sse.Utf8StreamDecoder;
import dev.aiprogress.stream.Chunk;
import dev.aiprogress.stream.Delta;
import dev.aiprogress.stream.ReasoningSplitter;
import dev.aiprogress.stream.TagRules;

import jakarta.json.spi.JsonProvider;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The body path of {@code StreamExchange.StreamingBody} without the HTTP client: bytes of each
 * network read → {@link Utf8StreamDecoder} → {@link SseDecoder}/{@link NdjsonDecoder} → the
 * dialect's {@link FrameParser} → {@link ReasoningSplitter} → a chunk consumer. The same classes,
 * called in the same order, with fresh per-stream state each run (as each upstream call has).
 */
public final class DecodePipeline {

    private static final ChatRequest REQUEST = ChatRequest.of("bench",
            List.of(ChatMessage.of(ChatMessage.Role.USER, "Which is larger, 9.11 or 9.9?")));

    private final WireDialect dialect;
    private final TagRules rules;
    private final JsonProvider json;

    public DecodePipeline(WireDialect dialect, TagRules rules, JsonProvider json) {
        this.dialect = dialect;
        this.rules = rules;
        this.json = json;
    }

    /**
     * Runs one whole body. The buffers are read from their position to their limit (and consumed,
     * as a socket's buffers are); the caller rewinds them to run again.
     *
     * @return whether the stream ended properly (end marker, or a body end the parser accepts)
     */
    public boolean run(ByteBuffer[] reads, Consumer<Chunk> out) throws StreamFailure {
        ReasoningSplitter splitter = new ReasoningSplitter(rules, out);
        Consumer<Delta> deltas = splitter::accept;
        FrameParser parser = dialect.newParser(REQUEST, json);
        Frames frames = new Frames(parser, deltas);
        FrameDecoder decoder = dialect.framing() == WireDialect.Framing.SSE
                ? new SseDecoder(frames::onFrame) : new NdjsonDecoder(frames::onFrame);
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        for (ByteBuffer read : reads) {
            if (frames.ended) {
                break; // later bytes are drained and ignored, as StreamExchange does
            }
            decoder.feed(utf8.decode(read));
        }
        if (!frames.ended) {
            decoder.feed(utf8.finish());
            decoder.endOfInput();
            if (!frames.ended) {
                parser.onEndOfBody(deltas);
                frames.ended = true;
            }
        }
        splitter.finish();
        return frames.ended;
    }

    /**
     * Only the transport half: UTF-8 decoding and framing, each frame handed to {@code frames}
     * (no parser, no splitter). The difference to {@link #run} is what the adapters and the
     * splitter cost.
     *
     * @return the number of frames
     */
    public int frames(ByteBuffer[] reads, FrameSink frames) throws StreamFailure {
        int[] count = new int[1];
        FrameSink counting = (event, data) -> {
            count[0]++;
            frames.onFrame(event, data);
        };
        FrameDecoder decoder = dialect.framing() == WireDialect.Framing.SSE
                ? new SseDecoder(counting) : new NdjsonDecoder(counting);
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        for (ByteBuffer read : reads) {
            decoder.feed(utf8.decode(read));
        }
        decoder.feed(utf8.finish());
        decoder.endOfInput();
        return count[0];
    }

    /** The frame sink: parser until its end marker, nothing after. */
    private static final class Frames {
        private final FrameParser parser;
        private final Consumer<Delta> deltas;
        boolean ended;

        Frames(FrameParser parser, Consumer<Delta> deltas) {
            this.parser = parser;
            this.deltas = deltas;
        }

        void onFrame(String event, String data) throws StreamFailure {
            if (!ended && parser.onFrame(event, data, deltas) == FrameParser.Result.END) {
                ended = true;
            }
        }
    }

    /** Cuts {@code body} into one heap buffer per network read (as the HTTP client hands over); rewind them to reuse. */
    public static ByteBuffer[] reads(byte[] body, int[] readEnds) {
        ByteBuffer[] reads = new ByteBuffer[readEnds.length];
        int from = 0;
        for (int i = 0; i < readEnds.length; i++) {
            reads[i] = ByteBuffer.wrap(body, from, readEnds[i] - from).slice();
            from = readEnds[i];
        }
        return reads;
    }

    /** Makes every buffer readable again from its start. */
    public static void rewind(ByteBuffer[] reads) {
        for (ByteBuffer read : reads) {
            read.clear();
        }
    }
}
