package dev.aiprogress.provider.sse;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLHandshakeException;

/** Classifies the exceptions the JDK HttpClient reports before a response arrives. */
final class UpstreamErrors {

    private UpstreamErrors() {
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Refused, unreachable, unresolvable, TLS handshake or connect timeout, anywhere in the cause chain. */
    static boolean isConnectFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
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
            if (t instanceof HttpConnectTimeoutException) {
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
