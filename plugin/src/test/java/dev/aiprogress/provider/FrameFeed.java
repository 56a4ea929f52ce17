package dev.aiprogress.provider;

import dev.aiprogress.stream.Delta;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds frames to a {@link FrameParser} the way the SSE/NDJSON framer hands them over, and records
 * what comes out: the deltas, the result of each frame and any failure. Test fixture.
 */
public final class FrameFeed {

    public static final JsonProvider JSON = JsonProvider.provider();

    private final FrameParser parser;
    public final List<Delta> deltas = new ArrayList<>();
    public final List<FrameParser.Result> results = new ArrayList<>();
    private ProviderFailure failure;

    public FrameFeed(FrameParser parser) {
        this.parser = parser;
    }

    /** Feeds one frame; after a failure nothing more is fed. Returns this. */
    public FrameFeed frame(String event, String data) {
        if (failure == null) {
            try {
                results.add(parser.onFrame(event, data, deltas::add));
            } catch (FrameParser.StreamFailure e) {
                failure = e.failure();
            }
        }
        return this;
    }

    /** Feeds an SSE transcript: {@code event:} lines name the next {@code data:} line. */
    public FrameFeed sse(String transcript) {
        String event = null;
        for (String line : transcript.split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                frame(event, line.substring(6));
                event = null;
            }
        }
        return this;
    }

    /** Feeds each non-empty line as one NDJSON frame. */
    public FrameFeed ndjson(String lines) {
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                frame(null, line);
            }
        }
        return this;
    }

    public FrameFeed endOfBody() {
        if (failure == null) {
            try {
                parser.onEndOfBody(deltas::add);
            } catch (FrameParser.StreamFailure e) {
                failure = e.failure();
            }
        }
        return this;
    }

    /** The failure thrown, or {@code null} when none was. */
    public ProviderFailure failure() {
        return failure;
    }

    public FrameParser.Result lastResult() {
        return results.get(results.size() - 1);
    }

    public static JsonValue parse(String text) {
        return JSON.createReader(new StringReader(text)).readValue();
    }
}
