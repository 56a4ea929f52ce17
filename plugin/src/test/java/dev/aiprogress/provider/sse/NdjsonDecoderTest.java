package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.FrameParser.StreamFailure;
import dev.aiprogress.provider.ProviderFailure;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NdjsonDecoderTest {

    private final List<String> frames = new ArrayList<>();
    private final NdjsonDecoder decoder = new NdjsonDecoder((event, data) -> frames.add(event + "|" + data));

    @Test
    void feed_linesSplitAcrossFeeds_oneFramePerLine() throws StreamFailure {
        decoder.feed("{\"a\":");
        decoder.feed("1}\n{\"b\"");
        decoder.feed(":2}\n");
        decoder.endOfInput();
        assertEquals(List.of("null|{\"a\":1}", "null|{\"b\":2}"), frames);
    }

    @Test
    void feed_crlfAndBlankLines_crDroppedBlanksSkipped() throws StreamFailure {
        decoder.feed("{\"a\":1}\r\n\r\n  \n{\"b\":2}\r");
        decoder.feed("\n");
        decoder.endOfInput();
        assertEquals(List.of("null|{\"a\":1}", "null|{\"b\":2}"), frames);
    }

    @Test
    void endOfInput_lastLineWithoutNewline_dispatched() throws StreamFailure {
        decoder.feed("{\"done\":true}");
        decoder.endOfInput();
        assertEquals(List.of("null|{\"done\":true}"), frames);
    }

    @Test
    void feed_lineOverCap_failsMalformed() {
        NdjsonDecoder small = new NdjsonDecoder((e, d) -> frames.add(d));
        String chunk = "z".repeat(64 * 1024);
        StreamFailure failure = assertThrows(StreamFailure.class, () -> {
            for (int i = 0; i < 17; i++) {
                small.feed(chunk);
            }
        });
        assertEquals(ProviderFailure.Kind.MALFORMED, failure.failure().kind());
        assertEquals("upstream sent a frame over 1 MiB", failure.failure().message());
    }
}
