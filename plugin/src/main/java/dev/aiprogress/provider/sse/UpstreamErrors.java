package dev.aiprogress.provider.sse;

import dev.aiprogress.provider.http.UpstreamConnectTimeoutException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

import javax.net.ssl.SSLHandshakeException;

/** Classifies the exceptions the upstream client reports before a response arrives. */
final class UpstreamErrors {

    private UpstreamErrors() {
    }

    /** Refused, unreachable, unresolvable, TLS handshake or connect timeout, anywhere in the cause chain. */
    static boolean isConnectFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UpstreamConnectTimeoutException
                    || t instanceof UnresolvedAddressException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SSLHandshakeException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A short, key-free description: the exception kind, never a URL with credentials. */
    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UpstreamConnectTimeoutException) {
                return "connect timed out";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "host name not resolved";
            }
            if (t instanceof SSLHandshakeException) {
                return "TLS handshake failed";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "connection refused or unreachable";
            }
        }
        return error.getClass().getSimpleName();
    }
}
