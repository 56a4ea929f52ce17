package dev.aiprogress.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/** The demo runner's command line: {@code --port N}, {@code --config FILE}, {@code --help}. */
record DemoArgs(int port, Path configFile, boolean help) {

    static final String USAGE = """
            usage: java -jar ai-progress-demo.jar [--port N] [--config FILE]
              --port N       port to listen on (default 8080; 0 = any free port)
              --config FILE  properties file with ai-progress.* keys (see README)
            Real providers are offered when DEEPSEEK_API_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY,
            GEMINI_API_KEY or OLLAMA_URL are set; the offline 'scripted' provider is always there.""";

    static DemoArgs parse(String[] args) {
        int port = 8080;
        Path config = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--port" -> port = parsePort(valueOf(args, ++i, "--port"));
                case "--config" -> {
                    config = Path.of(valueOf(args, ++i, "--config"));
                    if (!Files.isReadable(config)) {
                        throw new IllegalArgumentException("--config: no readable file at " + config);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return new DemoArgs(port, config, help);
    }

    private static String valueOf(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
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
