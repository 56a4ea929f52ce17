package dev.aiprogress.demo;

import dev.aiprogress.config.ConfigException;

import java.io.IOException;
import java.net.BindException;
import java.util.Map;

/**
 * The demo's command line: parses {@code --port}/{@code --host}/{@code --config}, starts
 * {@link DemoServer} and prints the URL. Every mistake a user can make (a bad argument, a missing
 * config file, invalid configuration, a port in use) ends in one clear line and a non-zero exit,
 * never a stack trace.
 *
 * <pre>java -jar ai-progress-demo.jar [--port 8080] [--host 127.0.0.1] [--config FILE]</pre>
 */
public final class DemoMain {

    /** Exit status for a wrong command line or configuration (as in {@code sysexits.h} EX_USAGE-ish tools). */
    static final int EXIT_USAGE = 2;
    /** Exit status when the server cannot start (port in use, ...). */
    static final int EXIT_START = 1;

    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        // The plugin logs through System.Logger (java.util.logging here); JUL's default is two lines
        // per record. One line reads better in a terminal. Set before the first logger exists.
        if (System.getProperty(LOG_FORMAT) == null) {
            System.setProperty(LOG_FORMAT, "%1$tT %4$s %3$s - %5$s%6$s%n");
        }
        DemoArgs parsed;
        try {
            parsed = DemoArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ai-progress demo: " + e.getMessage());
            System.err.println(DemoArgs.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (parsed.help()) {
            System.out.println(DemoArgs.USAGE);
            return;
        }
        DemoServer server;
        try {
            server = DemoServer.start(parsed, System.getenv(), System.out);
        } catch (ConfigException e) {
            System.err.println("ai-progress demo: invalid configuration: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("ai-progress demo: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        } catch (IOException e) {
            System.err.println("ai-progress demo: cannot listen on " + parsed.host() + ":" + parsed.port() + " ("
                    + describe(e) + "); pick another with --port N (0 = any free port)");
            System.exit(EXIT_START);
            return;
        }
        server.join();
    }

    /** Jetty wraps the {@link BindException} in an IOException whose message repeats the address. */
    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return "address already in use";
            }
        }
        return e.getMessage();
    }

    /** For tests and embedders: the same start as {@code main}, without exiting the JVM on errors. */
    public static DemoServer start(String[] args, Map<String, String> env) throws Exception {
        return DemoServer.start(DemoArgs.parse(args), env, System.out);
    }
}
