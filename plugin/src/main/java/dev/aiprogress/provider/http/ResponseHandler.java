package dev.aiprogress.provider.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives one exchange's response. Every call comes on the client's I/O thread, in order, and must
 * not block: the same thread reads every other connection of it. Exactly one of {@link #onComplete}
 * and {@link #onFailure} ends the exchange (none after a {@link UpstreamExchange#cancel()}).
 */
public interface ResponseHandler {

    /** The status line and headers arrived. */
    void onHead(ResponseHead head);

    /** Body bytes, de-chunked; the buffer is only valid during the call. */
    void onBody(ByteBuffer bytes);

    /** The body ended as its framing says. */
    void onComplete();

    /**
     * The exchange failed: it could not connect, the connection broke, or the response was malformed
     * or cut short. {@code headReceived} tells a failure before the response from one inside it.
     */
    void onFailure(IOException error, boolean headReceived);
}
