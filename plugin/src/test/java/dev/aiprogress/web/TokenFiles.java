package dev.aiprogress.web;

import dev.aiprogress.auth.FileTokenVerifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tokens file ({@code ai-progress.auth.tokens-file}) in a temp file deleted on exit. */
final class TokenFiles {

    private TokenFiles() {
    }

    /** One token: {@code key} (the token's user) with {@code secret}; the {@code ignored} argument documents the key's user. */
    static Path write(String ignored, String key, String secret) throws IOException {
        Path file = Files.createTempFile("ai-progress-tokens", ".txt");
        file.toFile().deleteOnExit();
        Files.writeString(file, FileTokenVerifier.hashLine(key, secret, 1000) + "\n");
        return file;
    }
}
