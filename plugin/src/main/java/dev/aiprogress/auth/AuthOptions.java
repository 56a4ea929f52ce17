package dev.aiprogress.auth;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may call and from where: the identity sources, the allowed origins and the failed-login
 * slow-down. Read from configuration by {@link AuthKeys}.
 *
 * @param sessionAttribute a session attribute an application's own login puts the user id in
 * @param tokensFile       the hashed API tokens of {@link FileTokenVerifier}
 * @param allowGuest       unknown callers become {@code guest:<random id>} instead of being refused
 * @param origins          extra origins allowed besides the request's own host ({@link OriginPolicy})
 */
public record AuthOptions(Optional<String> sessionAttribute, Optional<Path> tokensFile, boolean allowGuest,
                          List<String> origins, LoginGuard login) {

    public AuthOptions {
        Objects.requireNonNull(sessionAttribute, "sessionAttribute");
        Objects.requireNonNull(tokensFile, "tokensFile");
        origins = List.copyOf(origins);
        Objects.requireNonNull(login, "login");
    }
}
