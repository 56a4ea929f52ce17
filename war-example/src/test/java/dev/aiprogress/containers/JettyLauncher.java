package dev.aiprogress.containers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Standalone Jetty 12 from the {@code org.eclipse.jetty:jetty-home} zip, set up exactly as the
 * README's deploy guide says (a test that the guide works as written):
 * <ol>
 *   <li>a fresh {@code JETTY_BASE}: {@code java -jar $JETTY_HOME/start.jar
 *       --add-modules=http,ee10-deploy,ee10-annotations,ee10-websocket-jakarta,graceful};</li>
 *   <li>users: {@code etc/realm.properties} ({@code alice: <password>,ai-user}) read by a
 *       {@code HashLoginService} that {@code etc/ai-progress-realm.xml} adds to the server, listed in
 *       {@code start.d/ai-progress-realm.ini}; the WAR's {@code <login-config>} gives Jetty the
 *       authenticator that {@code request.login} needs;</li>
 *   <li>{@code ROOT.war} (the flavour with the JSON jars) in {@code webapps/};</li>
 *   <li>{@code java -jar $JETTY_HOME/start.jar}, stopped by SIGTERM (Jetty's shutdown hook).</li>
 * </ol>
 */
final class JettyLauncher implements ContainerLauncher {

    /** {@code etc/ai-progress-realm.xml} as the README prints it. */
    static final String REALM_XML = """
            <?xml version="1.0"?>
            <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
            <Configure id="Server" class="org.eclipse.jetty.server.Server">
              <Call id="realmFactory" class="org.eclipse.jetty.util.resource.ResourceFactory" name="of">
                <Arg><Ref refid="Server"/></Arg>
                <Call id="realmFile" name="newResource">
                  <Arg><Property name="jetty.base"/>/etc/realm.properties</Arg>
                </Call>
              </Call>
              <Call name="addBean">
                <Arg>
                  <New class="org.eclipse.jetty.security.HashLoginService">
                    <Set name="name">default</Set>
                    <Set name="config"><Ref refid="realmFile"/></Set>
                  </New>
                </Arg>
              </Call>
            </Configure>
            """;

    private final Path home;

    JettyLauncher(Path home) {
        this.home = home;
        if (!Files.isRegularFile(home.resolve("start.jar"))) {
            throw new AssertionError("no Jetty at " + home + ": run with -Pcontainers so Maven unpacks jetty-home");
        }
    }

    @Override
    public String name() {
        return home.getFileName().toString().replace("jetty-home-", "jetty-");
    }

    @Override
    public Path war(Path warDir) {
        return warDir.resolve("ROOT.war");
    }

    @Override
    public Duration startTimeout() {
        return Duration.ofSeconds(120);
    }

    private String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public Started start(Path war, Map<String, String> systemProperties, Path workDir, Path logDir) throws IOException {
        Path base = workDir.resolve(name() + "-base");
        TomcatLauncher.deleteTree(base);
        Files.createDirectories(base);
        Files.createDirectories(logDir);
        // 1. the base and its modules, by start.jar itself
        Process setup = new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base,
                "--add-modules=http,ee10-deploy,ee10-annotations,ee10-websocket-jakarta,graceful")
                .directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name() + "-setup.log").toFile()).start();
        try {
            if (!setup.waitFor(120, TimeUnit.SECONDS) || setup.exitValue() != 0) {
                throw new AssertionError("jetty base setup failed; see " + logDir.resolve(name() + "-setup.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        // 2. users
        Files.createDirectories(base.resolve("etc"));
        Files.writeString(base.resolve("etc/realm.properties"), USER + ": " + PASSWORD + ",ai-user\n");
        Files.writeString(base.resolve("etc/ai-progress-realm.xml"), REALM_XML);
        Files.writeString(base.resolve("start.d/ai-progress-realm.ini"), "etc/ai-progress-realm.xml\n");
        // hot deployment, as the README's guide sets it (the graceful module gives the stop its
        // graceful phase, in which the plugin sends running chats their failure reply)
        Files.writeString(base.resolve("start.d/deployment-scanner.ini"), "jetty.deploy.scanInterval=1\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        // 3. the WAR at the root context
        Files.copy(war, base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
        // 4. run
        int port = ContainerProcess.freePort();
        List<String> command = new ArrayList<>();
        command.add(java());
        command.add("-Xmx384m");
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + base,
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        ContainerProcess process = ContainerProcess.start(name(), command, base, logDir.resolve(name() + ".log"));
        return new Started(process, URI.create("http://127.0.0.1:" + port),
                java.util.Optional.of(base.resolve("webapps/ROOT.war")));
    }
}
