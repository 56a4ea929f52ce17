package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.FrameParser.StreamFailure;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** However the network cuts the bytes, the frames are the same. */
class SseFramingProperties {

    @Property(tries = 200)
    void decode_anyCutsAndLineEnds_sameFrames(@ForAll("payloads") List<String> payloads,
                                              @ForAll("lineEnds") String lineEnd,
                                              @ForAll @IntRange(min = 1, max = 9) int maxPiece,
                                              @ForAll long seed) throws StreamFailure {
        StringBuilder body = new StringBuilder(": hello" + lineEnd + lineEnd);
        for (String payload : payloads) {
            body.append("data: ").append(payload).append(lineEnd).append(lineEnd);
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        List<String> frames = new ArrayList<>();
        SseDecoder sse = new SseDecoder((event, data) -> frames.add(data));
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        Random random = new Random(seed);

        int offset = 0;
        while (offset < bytes.length) {
            int n = Math.min(bytes.length - offset, 1 + random.nextInt(maxPiece));
            sse.feed(utf8.decode(ByteBuffer.wrap(bytes, offset, n)));
            offset += n;
        }
        sse.feed(utf8.finish());
        sse.endOfInput();

        assertEquals(payloads, frames);
    }

    @Provide
    Arbitrary<List<String>> payloads() {
        Arbitrary<Character> chars = Arbitraries.of('a', 'z', ' ', ':', '{', '"', 'é', '中', '\uD83D');
        return chars.list().ofMaxSize(12).map(list -> {
            StringBuilder out = new StringBuilder();
            for (char c : list) {
                // a lone high surrogate becomes the full emoji so the text stays valid UTF-16
                out.append(c == '\uD83D' ? "😀" : String.valueOf(c));
            }
            return out.toString();
        }).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> lineEnds() {
        return Arbitraries.of("\n", "\r\n", "\r");
    }
}
