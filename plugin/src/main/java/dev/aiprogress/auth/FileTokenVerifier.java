package dev.aiprogress.auth;

import dev.aiprogress.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The built-in {@link TokenVerifier}: a file of hashed secrets, read once at startup. One token per
 * line, {@code #} comments and blank lines ignored:
 * <pre>
 * key:pbkdf2-sha256-&lt;iterations&gt;:&lt;salt, base64&gt;:&lt;hash, base64&gt;
 * </pre>
 * The user of a token is its key. Create a line with
 * {@code java -cp ai-progress.jar dev.aiprogress.auth.FileTokenVerifier <key> [secret]} (the secret
 * is read from the console when left out). Successful checks are remembered (by a SHA-256 of key
 * and secret) so a busy client does not pay the PBKDF2 cost on every request.
 */
public final class FileTokenVerifier implements TokenVerifier {

    static final int DEFAULT_ITERATIONS = 210_000;
    private static final String ALGORITHM_PREFIX = "pbkdf2-sha256-";
    private static final int MAX_REMEMBERED = 4096;

    private record Entry(int iterations, byte[] salt, byte[] hash) {
    }

    private final Map<String, Entry> entries;
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    private FileTokenVerifier(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** Reads the file; a bad line is a {@link ConfigException} naming {@code key} and the line number. */
    public static FileTokenVerifier read(Path file, String key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read tokens file '" + file + "': " + e.getMessage());
        }
        Map<String, Entry> entries = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":", -1);
            String where = "tokens file '" + file + "' line " + (i + 1);
            if (f.length != 4 || f[0].isEmpty() || !f[1].startsWith(ALGORITHM_PREFIX)) {
                throw new ConfigException(key, where + " is not key:pbkdf2-sha256-<iterations>:<salt>:<hash>");
            }
            try {
                int iterations = Integer.parseInt(f[1].substring(ALGORITHM_PREFIX.length()));
                if (iterations < 1) {
                    throw new NumberFormatException();
                }
                entries.put(f[0], new Entry(iterations, Base64.getDecoder().decode(f[2]), Base64.getDecoder().decode(f[3])));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, where + " has a bad iteration count, salt or hash");
            }
        }
        return new FileTokenVerifier(entries);
    }

    @Override
    public Optional<String> userFor(String key, String secret) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        String fingerprint = fingerprint(key, secret);
        if (verified.containsKey(fingerprint)) {
            return Optional.of(key);
        }
        byte[] actual = pbkdf2(secret, entry.salt(), entry.iterations(), entry.hash().length * 8);
        if (!MessageDigest.isEqual(actual, entry.hash())) {
            return Optional.empty();
        }
        if (verified.size() >= MAX_REMEMBERED) {
            verified.clear();
        }
        verified.put(fingerprint, key);
        return Optional.of(key);
    }

    /** One line of the tokens file for {@code key} and {@code secret}. */
    public static String hashLine(String key, String secret, int iterations) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = pbkdf2(secret, salt, iterations, 256);
        Base64.Encoder b64 = Base64.getEncoder();
        return key + ":" + ALGORITHM_PREFIX + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    private static byte[] pbkdf2(String secret, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String fingerprint(String key, String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((key + '\0' + secret).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    /** Prints one tokens-file line: {@code FileTokenVerifier <key> [secret]}. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2 || args[0].contains(":")) {
            System.err.println("usage: java -cp ai-progress.jar dev.aiprogress.auth.FileTokenVerifier <key> [secret]");
            System.exit(2);
            return;
        }
        String secret;
        if (args.length == 2) {
            secret = args[1];
        } else if (System.console() != null) {
            secret = new String(System.console().readPassword("secret for %s: ", args[0]));
        } else {
            System.err.println("no console: pass the secret as the second argument");
            System.exit(2);
            return;
        }
        System.out.println(hashLine(args[0], secret, DEFAULT_ITERATIONS));
    }
}
