package dev.aiprogress.provider.http;

import java.net.ConnectException;

/** No connection (TCP, proxy tunnel and TLS handshake) within the client's connect timeout. */
public final class UpstreamConnectTimeoutException extends ConnectException {
    public UpstreamConnectTimeoutException(String message) {
        super(message);
    }
}
