package dev.aiprogress.containers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Starts one kind of container with a WAR at the root context. Everything peculiar to a
 * container (layout, users, start command, which WAR flavour) lives in its implementation.
 */
interface ContainerLauncher {

    /** User and password the launcher's realm accepts through {@code HttpServletRequest.login}. */
    String USER = "alice";
    String PASSWORD = "wonder-Land-42";

    /** e.g. {@code tomcat-10.1.56}; names the log file. */
    String name();

    /** Which WAR this container gets: {@code ROOT.war} (JSON jars inside) or {@code ROOT-payara.war}. */
    Path war(Path warDir);

    /** Starting plus deploying may take this long on a small shared machine. */
    Duration startTimeout();

    /** Starts the process; {@code systemProperties} go to the container JVM as {@code -D}. */
    Started start(Path war, Map<String, String> systemProperties, Path workDir, Path logDir) throws IOException;

    /** System properties this container needs besides the provider setup (none by default). */
    default Map<String, String> extraSystemProperties() {
        return Map.of();
    }

    /**
     * @param deployedWar the WAR file in the container's deployment directory: deleting it undeploys
     *                    the application, copying it back redeploys (empty where the container has
     *                    no hot deployment, Payara Micro)
     */
    record Started(ContainerProcess process, URI baseUrl, java.util.Optional<Path> deployedWar) {
        Started(ContainerProcess process, URI baseUrl) {
            this(process, baseUrl, java.util.Optional.empty());
        }
    }
}
