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
import java.util.stream.Stream;

/**
 * Tomcat 10.1 / 11 from the {@code org.apache.tomcat:tomcat} zip. Its quirks, all here:
 * <ul>
 *   <li>the zip unpacked by Maven loses the execute bits of {@code bin/*.sh}, so the JVM is started
 *       directly with {@code Bootstrap}, with the {@code --add-opens} flags catalina.sh would add;</li>
 *   <li>a separate CATALINA_BASE per run (conf copied from the home) so the unpacked home stays clean;</li>
 *   <li>server.xml: HTTP port made free, the shutdown port disabled ({@code -1}): SIGTERM stops it;</li>
 *   <li>users for {@code request.login}: {@code tomcat-users.xml}, read by the stock
 *       {@code UserDatabaseRealm} (inside a LockOutRealm) of server.xml; any role will do because the
 *       plugin declares no security constraint;</li>
 *   <li>the JSON jars are not in Tomcat: the default {@code ROOT.war} flavour carries them.</li>
 * </ul>
 */
final class TomcatLauncher implements ContainerLauncher {

    private final Path home;

    TomcatLauncher(Path home) {
        this.home = home;
        if (!Files.isRegularFile(home.resolve("bin/bootstrap.jar"))) {
            throw new AssertionError("no Tomcat at " + home + ": run with -Pcontainers so Maven unpacks it");
        }
    }

    @Override
    public String name() {
        return home.getFileName().toString().replace("apache-", "");
    }

    @Override
    public Path war(Path warDir) {
        return warDir.resolve("ROOT.war");
    }

    @Override
    public Duration startTimeout() {
        return Duration.ofSeconds(120);
    }

    @Override
    public Started start(Path war, Map<String, String> systemProperties, Path workDir, Path logDir) throws IOException {
        Path base = workDir.resolve(name() + "-base");
        deleteTree(base);
        for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        int port = ContainerProcess.freePort();
        Path serverXml = base.resolve("conf/server.xml");
        String server = Files.readString(serverXml)
                .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replace("<Connector port=\"8080\"", "<Connector port=\"" + port + "\" address=\"127.0.0.1\"");
        if (!server.contains("port=\"" + port + "\"") || !server.contains("<Server port=\"-1\"")) {
            throw new AssertionError("server.xml of " + name() + " does not have the expected stock ports");
        }
        Files.writeString(serverXml, server);
        Files.writeString(base.resolve("conf/tomcat-users.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
                  <role rolename="ai-user"/>
                  <user username="%s" password="%s" roles="ai-user"/>
                </tomcat-users>
                """.formatted(USER, PASSWORD));
        Files.copy(war, base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        // the flags catalina.sh passes on Java 9+
        command.addAll(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED"));
        command.add("-Dcatalina.home=" + home);
        command.add("-Dcatalina.base=" + base);
        command.add("-Djava.io.tmpdir=" + base.resolve("temp"));
        command.add("-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager");
        command.add("-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(home.resolve("bin/bootstrap.jar") + java.io.File.pathSeparator + home.resolve("bin/tomcat-juli.jar"));
        command.add("org.apache.catalina.startup.Bootstrap");
        command.add("start");
        ContainerProcess process = ContainerProcess.start(name(), command, base, logDir.resolve(name() + ".log"));
        return new Started(process, URI.create("http://127.0.0.1:" + port),
                java.util.Optional.of(base.resolve("webapps/ROOT.war")));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
