package dev.aiprogress.demo;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The demo runner's command line: {@code --port N}, {@code --host ADDRESS}, {@code --config FILE},
 * {@code --help}; {@code --name=value} works too.
 *
 * @param configFile null when no {@code --config} was given
 */
record DemoArgs(int port, String host, Path configFile, boolean help) {

    static final int DEFAULT_PORT = 8080;
    /** Loopback only by default: the demo has fixed passwords; {@code --host 0.0.0.0} opens it up. */
    static final String DEFAULT_HOST = "127.0.0.1";

    static final String USAGE = """
            usage: java -jar ai-progress-demo.jar [--port N] [--host ADDRESS] [--config FILE]
              --port N          port to listen on (default 8080; 0 = any free port)
              --host ADDRESS    address to listen on (default 127.0.0.1; 0.0.0.0 = all interfaces)
              --config FILE     properties file with ai-progress.* keys (see README), e.g.
                                ai-progress.demo.users=alice:secret,bob:secret
            Real providers are offered when DEEPSEEK_API_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY,
            GEMINI_API_KEY or OLLAMA_URL are set; the offline 'scripted' provider is always there.""";

    static DemoArgs parse(String[] args) {
        int port = DEFAULT_PORT;
        String host = DEFAULT_HOST;
        Path config = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inlineValue = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--port" -> port = parsePort(inlineValue != null ? inlineValue : valueOf(args, ++i, "--port"));
                case "--host" -> host = nonBlank(inlineValue != null ? inlineValue : valueOf(args, ++i, "--host"), "--host");
                case "--config" -> config = readableFile(inlineValue != null ? inlineValue : valueOf(args, ++i, "--config"));
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return new DemoArgs(port, host, config, help);
    }

    private static String valueOf(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static String nonBlank(String value, String flag) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value.strip();
    }

    private static Path readableFile(String value) {
        Path config;
        try {
            config = Path.of(nonBlank(value, "--config"));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--config: '" + value + "' is not a valid path");
        }
        if (Files.isDirectory(config)) {
            throw new IllegalArgumentException("--config: " + config.toAbsolutePath() + " is a directory, not a properties file");
        }
        if (!Files.isReadable(config)) {
            throw new IllegalArgumentException("--config: no readable file at " + config.toAbsolutePath());
        }
        return config;
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port: expected 0-65535, got '" + value + "'");
        }
    }
}
