package dev.aiprogress.auth;

import dev.aiprogress.config.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileTokenVerifierTest {

    @TempDir
    Path dir;

    private FileTokenVerifier verifier(String content) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, content);
        return FileTokenVerifier.read(file, "ai-progress.auth.tokens-file");
    }

    @Test
    void hashLine_format_isKeyAlgorithmSaltHash() {
        String line = FileTokenVerifier.hashLine("bot", "secret", 1000);
        assertTrue(line.matches("bot:pbkdf2-sha256-1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}"), line);
    }

    @Test
    void userFor_rightSecret_isKeyAndWrongSecretIsEmpty() throws Exception {
        FileTokenVerifier v = verifier("# comment\n\n" + FileTokenVerifier.hashLine("bot", "secret", 1000) + "\n"
                + FileTokenVerifier.hashLine("ci", "other:with:colons", 1000) + "\n");
        assertEquals(Optional.of("bot"), v.userFor("bot", "secret"));
        assertEquals(Optional.of("bot"), v.userFor("bot", "secret")); // remembered
        assertEquals(Optional.empty(), v.userFor("bot", "Secret"));
        assertEquals(Optional.empty(), v.userFor("nobody", "secret"));
        assertEquals(Optional.of("ci"), v.userFor("ci", "other:with:colons"));
    }

    @Test
    void read_badLine_namesKeyAndLine() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> verifier("# ok\nbot:plain-secret\n"));
        assertEquals("ai-progress.auth.tokens-file: tokens file '" + dir.resolve("tokens") + "' line 2 is not "
                + "key:pbkdf2-sha256-<iterations>:<salt>:<hash>", e.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> verifier("bot:pbkdf2-sha256-x:AA==:AA==\n"));
        assertEquals("ai-progress.auth.tokens-file: tokens file '" + dir.resolve("tokens") + "' line 1 has a bad iteration "
                + "count, salt or hash", bad.getMessage());
    }

    @Test
    void read_missingFile_namesKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> FileTokenVerifier.read(dir.resolve("none"), "ai-progress.auth.tokens-file"));
        assertTrue(e.getMessage().startsWith("ai-progress.auth.tokens-file: cannot read tokens file '"), e.getMessage());
    }
}
