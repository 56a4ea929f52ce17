package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.FrameParser.StreamFailure;
import dev.aiprogress.provider.ProviderFailure;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SseDecoderTest {

    private final List<String> frames = new ArrayList<>();
    private final SseDecoder decoder = new SseDecoder((event, data) -> frames.add(event + "|" + data));

    private List<String> decode(String... feeds) throws StreamFailure {
        for (String feed : feeds) {
            decoder.feed(feed);
        }
        decoder.endOfInput();
        return frames;
    }

    @Test
    void feed_lfLineEnds_dispatchesOnBlankLine() throws StreamFailure {
        assertEquals(List.of("null|a", "null|b"), decode("data: a\n\ndata: b\n\n"));
    }

    @Test
    void feed_crlfLineEnds_sameFrames() throws StreamFailure {
        assertEquals(List.of("null|a", "null|b"), decode("data: a\r\n\r\ndata: b\r\n\r\n"));
    }

    @Test
    void feed_bareCrLineEnds_sameFrames() throws StreamFailure {
        assertEquals(List.of("null|a", "null|b"), decode("data: a\r\rdata: b\r\r"));
    }

    @Test
    void feed_crAtEndOfFeedAndLfAtStartOfNext_oneLineEnd() throws StreamFailure {
        // "data: a\r" | "\ndata: b\r\n\r\n": the CR|LF pair is one line end, so a and b join in one event.
        assertEquals(List.of("null|a\nb"), decode("data: a\r", "\ndata: b\r\n\r\n"));
    }

    @Test
    void feed_crlfBlankLineSplitAcrossFeeds_dispatchesOnce() throws StreamFailure {
        assertEquals(List.of("null|a", "null|b"), decode("data: a\r\n\r", "\ndata: b\r", "\n\r", "\n"));
    }

    @Test
    void feed_commentLines_ignored() throws StreamFailure {
        assertEquals(List.of("null|x"), decode(": keep-alive\n\n: OPENROUTER PROCESSING\n\ndata: x\n\n"));
    }

    @Test
    void feed_dataWithoutSpace_keepsValue() throws StreamFailure {
        assertEquals(List.of("null|x"), decode("data:x\n\n"));
    }

    @Test
    void feed_dataWithTwoSpaces_stripsExactlyOne() throws StreamFailure {
        assertEquals(List.of("null| x"), decode("data:  x\n\n"));
    }

    @Test
    void feed_multipleDataLines_joinedWithNewline() throws StreamFailure {
        assertEquals(List.of("null|one\ntwo\n"), decode("data: one\ndata:two\ndata\n\n"));
    }

    @Test
    void feed_eventName_passedWithData() throws StreamFailure {
        assertEquals(List.of("message_start|{}", "null|y"), decode("event: message_start\ndata: {}\n\ndata: y\n\n"));
    }

    @Test
    void feed_idAndRetryFields_ignored() throws StreamFailure {
        assertEquals(List.of("null|z"), decode("id: 7\nretry: 100\ndata: z\n\n"));
    }

    @Test
    void feed_eventWithoutData_notDispatched() throws StreamFailure {
        assertEquals(List.of("null|d"), decode("event: ping\n\nid: 3\n\ndata: d\n\n"));
    }

    @Test
    void endOfInput_lastEventWithoutBlankLine_dispatched() throws StreamFailure {
        assertEquals(List.of("null|a", "done|[DONE]"), decode("data: a\n\nevent: done\ndata: [DONE]"));
    }

    @Test
    void feed_dataSplitAtEveryCharacter_sameFrames() throws StreamFailure {
        String body = ": c\r\nevent: e\r\ndata: {\"a\":1}\r\n\r\ndata: b\rdata: c\r\r";
        for (int i = 0; i < body.length(); i++) {
            decoder.feed(body.substring(i, i + 1));
        }
        decoder.endOfInput();
        assertEquals(List.of("e|{\"a\":1}", "null|b\nc"), frames);
    }

    @Test
    void feed_lineOverCap_failsMalformed() {
        SseDecoder small = new SseDecoder((e, d) -> frames.add(d), 1 << 20);
        String chunk = "x".repeat(64 * 1024);
        StreamFailure failure = assertThrows(StreamFailure.class, () -> {
            small.feed("data: ");
            for (int i = 0; i < 5 * 16 + 1; i++) { // 5 MiB arriving in 64 KiB reads
                small.feed(chunk);
            }
        });
        assertEquals(ProviderFailure.Kind.MALFORMED, failure.failure().kind());
        assertEquals("upstream sent a frame over 1 MiB", failure.failure().message());
        assertEquals(List.of(), frames);
    }

    @Test
    void feed_manyDataLinesOverCap_failsMalformed() {
        SseDecoder small = new SseDecoder((e, d) -> frames.add(d), 1024);
        StreamFailure failure = assertThrows(StreamFailure.class, () -> {
            for (int i = 0; i < 100; i++) {
                small.feed("data: " + "y".repeat(20) + "\n");
            }
        });
        assertEquals("upstream sent a frame over 1 KiB", failure.failure().message());
    }

    @Test
    void feed_frameJustUnderCap_dispatched() throws StreamFailure {
        SseDecoder small = new SseDecoder((e, d) -> frames.add(d), 16);
        small.feed("data: 0123456789\n\n");
        assertEquals(List.of("0123456789"), frames);
    }

    @Test
    void feed_leadingByteOrderMark_dropped() throws StreamFailure {
        assertEquals(List.of("null|a"), decode("\uFEFF", "data: a\n\n"));
    }
}
