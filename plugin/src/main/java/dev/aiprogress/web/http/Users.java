package dev.aiprogress.web.http;

import dev.aiprogress.auth.HttpIdentity;
import jakarta.servlet.http.HttpServletRequest;

/** The caller of an endpoint as {@link IdentityFilter} resolved it, or the 401 a servlet answers without one. */
final class Users {

    private Users() {
    }

    /** The user the filter resolved, or a 401 Frappe error. */
    static String required(HttpServletRequest request) {
        return HttpIdentity.user(request).orElseThrow(() -> FrappeError.unauthorized("Not logged in"));
    }

    /**
     * The user of a call whose body may carry credentials (the agent's {@code api_key}): the filter's
     * user, else the api key checked like a token; neither → 401.
     */
    static String requiredWithApiKey(HttpServletRequest request, ChatCall call, HttpIdentity identity) {
        return HttpIdentity.user(request)
                .or(() -> call.apiKey().flatMap(identity::userForApiKey))
                .orElseThrow(() -> FrappeError.unauthorized(call.apiKey().isPresent()
                        ? "Invalid API token" : "Not logged in: log in, send Authorization: token <key>:<secret> or api_key"));
    }
}
