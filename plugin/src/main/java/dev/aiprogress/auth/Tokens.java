package dev.aiprogress.auth;

import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Checks API tokens against every {@link TokenVerifier}: the built-in {@link FileTokenVerifier}
 * when {@code ai-progress.auth.tokens-file} is set, then those found with {@link ServiceLoader};
 * the first that knows a token wins. Used by HTTP ({@code Authorization}, the agent's
 * {@code api_key}) and by both socket transports. Thread-safe when the verifiers are.
 */
public final class Tokens implements AutoCloseable {

    /** Where the SPI was listed before it moved into this package. */
    static final String FORMER_SERVICE_FILE = "META-INF/services/dev.aiprogress.web.TokenVerifier";

    private static final System.Logger LOG = System.getLogger(Tokens.class.getName());

    private final List<TokenVerifier> verifiers;

    public Tokens(List<TokenVerifier> verifiers) {
        this.verifiers = List.copyOf(verifiers);
    }

    /** The verifiers of a deployment: the tokens file, then the application's ServiceLoader entries. */
    public static Tokens load(AuthOptions options, ClassLoader loader) {
        List<TokenVerifier> verifiers = new ArrayList<>();
        options.tokensFile().ifPresent(file -> verifiers.add(FileTokenVerifier.read(file, AuthKeys.TOKENS_FILE.name())));
        for (TokenVerifier verifier : ServiceLoader.load(TokenVerifier.class, loader)) {
            verifiers.add(verifier);
        }
        warnAboutFormerServiceFile(loader);
        return new Tokens(verifiers);
    }

    /** A verifier still listed under the SPI's old name would be silently unused: say so. */
    private static void warnAboutFormerServiceFile(ClassLoader loader) {
        try {
            // as ServiceLoader does: no loader (an embedded context may have none) means the system one
            Enumeration<URL> former = (loader != null ? loader : ClassLoader.getSystemClassLoader())
                    .getResources(FORMER_SERVICE_FILE);
            if (former.hasMoreElements()) {
                LOG.log(System.Logger.Level.WARNING, "AIP-008 " + FORMER_SERVICE_FILE + " is no longer read: the SPI is "
                        + "now dev.aiprogress.auth.TokenVerifier; list your verifier in "
                        + "META-INF/services/dev.aiprogress.auth.TokenVerifier");
            }
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "service files not listed: " + e);
        }
    }

    /** The user of {@code token}, or empty when no verifier knows it. */
    public Optional<String> userFor(ApiToken token) {
        for (TokenVerifier verifier : verifiers) {
            Optional<String> user = verifier.userFor(token.key(), token.secret());
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }

    /** The user of a {@code key:secret} text, or empty when it is malformed or unknown. */
    public Optional<String> userFor(String keyAndSecret) {
        return Credentials.apiToken(keyAndSecret).flatMap(this::userFor);
    }

    @Override
    public void close() {
        for (TokenVerifier verifier : verifiers) {
            verifier.close();
        }
    }
}
