package dev.aiprogress.testsupport;

import org.eclipse.jetty.security.AuthenticationState;
import org.eclipse.jetty.security.ServerAuthException;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's {@link BasicAuthenticator}, except that an {@code Authorization: Basic} header that is not
 * Base64 counts as no credentials: Jetty 12.1 lets the decoder's {@link IllegalArgumentException}
 * escape, which answers 500 with the exception's text to any client that sends {@code Basic !!!}.
 * The plugin's filter then answers 401 itself. A copy of the demo's class (jetty-demo) for the tests' server.
 */
public final class LenientBasicAuthenticator extends BasicAuthenticator {

    @Override
    public AuthenticationState validateRequest(Request req, Response res, Callback callback) throws ServerAuthException {
        try {
            return super.validateRequest(req, res, callback);
        } catch (IllegalArgumentException undecodable) {
            return null;
        }
    }
}
