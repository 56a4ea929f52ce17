package dev.aiprogress.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoArgsTest {

    @Test
    void parse_noArguments_defaultsToLoopback8080WithoutConfig() {
        DemoArgs args = DemoArgs.parse(new String[0]);
        assertEquals(8080, args.port());
        assertEquals("127.0.0.1", args.host());
        assertNull(args.configFile());
        assertFalse(args.help());
    }

    @Test
    void parse_portHostAndConfig_areTaken(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("demo.properties"), "ai-progress.demo.users=a:b\n");
        DemoArgs args = DemoArgs.parse(new String[] {"--port", "0", "--host", "0.0.0.0", "--config", config.toString()});
        assertEquals(0, args.port());
        assertEquals("0.0.0.0", args.host());
        assertEquals(config, args.configFile());
    }

    @Test
    void parse_equalsForm_isTheSameAsTwoWords() {
        assertEquals(9090, DemoArgs.parse(new String[] {"--port=9090"}).port());
    }

    @Test
    void parse_help_isFlagged() {
        assertTrue(DemoArgs.parse(new String[] {"--help"}).help());
        assertTrue(DemoArgs.parse(new String[] {"-h"}).help());
    }

    @Test
    void parse_portNotANumber_saysWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoArgs.parse(new String[] {"--port", "eighty"}));
        assertEquals("--port: expected 0-65535, got 'eighty'", e.getMessage());
    }

    @Test
    void parse_portOutOfRange_saysWhatIsExpected() {
        assertEquals("--port: expected 0-65535, got '70000'",
                assertThrows(IllegalArgumentException.class, () -> DemoArgs.parse(new String[] {"--port", "70000"})).getMessage());
        assertEquals("--port: expected 0-65535, got '-1'",
                assertThrows(IllegalArgumentException.class, () -> DemoArgs.parse(new String[] {"--port", "-1"})).getMessage());
    }

    @Test
    void parse_flagWithoutValue_namesTheFlag() {
        assertEquals("--port needs a value",
                assertThrows(IllegalArgumentException.class, () -> DemoArgs.parse(new String[] {"--port"})).getMessage());
        assertEquals("--port needs a value",
                assertThrows(IllegalArgumentException.class, () -> DemoArgs.parse(new String[] {"--port", "--config", "x"})).getMessage());
        assertEquals("--config needs a value",
                assertThrows(IllegalArgumentException.class, () -> DemoArgs.parse(new String[] {"--config"})).getMessage());
    }

    @Test
    void parse_missingConfigFile_namesTheAbsolutePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoArgs.parse(new String[] {"--config", missing.toString()}));
        assertEquals("--config: no readable file at " + missing.toAbsolutePath(), e.getMessage());
    }

    @Test
    void parse_configIsADirectory_saysSo(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoArgs.parse(new String[] {"--config", dir.toString()}));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void parse_unknownArgument_isNamed() {
        assertEquals("unknown argument '--prot'",
                assertThrows(IllegalArgumentException.class, () -> DemoArgs.parse(new String[] {"--prot", "1"})).getMessage());
    }
}
