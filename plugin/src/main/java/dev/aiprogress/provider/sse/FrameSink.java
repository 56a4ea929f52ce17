package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.FrameParser.StreamFailure;

/** Receives the frames a {@link FrameDecoder} cuts out of the character stream. */
@FunctionalInterface
public interface FrameSink {

    /**
     * @param event the SSE {@code event:} name, or {@code null} (always for NDJSON)
     * @param data  the frame's data
     */
    void onFrame(String event, String data) throws StreamFailure;
}
