package dev.aiprogress.containers;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * WildFly ({@code org.wildfly:wildfly-dist} zip), standalone.xml profile. Its quirks, all here:
 * <ul>
 *   <li>the zip unpacked by Maven loses the execute bits of {@code bin/*.sh}: the JVM is started
 *       directly through {@code jboss-modules.jar}, with the module flags {@code bin/common.sh} adds;</li>
 *   <li>a copy of {@code standalone/} as the server base per run; every socket shifted by
 *       {@code jboss.socket.binding.port-offset} so HTTP lands on a free port (management too);</li>
 *   <li>users for {@code request.login}: the Elytron {@code ApplicationRealm} properties files
 *       ({@code add-user.sh -a} writes the same: HEX(MD5(user:ApplicationRealm:password)));
 *       the undertow subsystem's {@code default-security-domain="other"} gives the deployment a
 *       security domain, so no jboss-web.xml is needed;</li>
 *   <li>the plugin-only WAR flavour: WildFly ships JSON-P/JSON-B.</li>
 * </ul>
 */
final class WildFlyLauncher implements ContainerLauncher {

    private final Path home;

    WildFlyLauncher(Path home) {
        this.home = home;
        if (!Files.isRegularFile(home.resolve("jboss-modules.jar"))) {
            throw new AssertionError("no WildFly at " + home + ": run with -Pcontainers so Maven unpacks it");
        }
    }

    @Override
    public String name() {
        return home.getFileName().toString();
    }

    @Override
    public Path war(Path warDir) {
        return warDir.resolve("ROOT-payara.war");
    }

    @Override
    public Duration startTimeout() {
        return Duration.ofSeconds(240);
    }

    @Override
    public Started start(Path war, Map<String, String> systemProperties, Path workDir, Path logDir) throws IOException {
        Path base = workDir.resolve(name() + "-base");
        TomcatLauncher.deleteTree(base);
        copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        Files.createDirectories(base.resolve("log"));
        Files.writeString(base.resolve("configuration/application-users.properties"),
                USER + "=" + md5Hex(USER + ":ApplicationRealm:" + PASSWORD) + "\n");
        Files.writeString(base.resolve("configuration/application-roles.properties"), USER + "=ai-user\n");
        Files.copy(war, base.resolve("deployments/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);

        // every port of the offset must be free, not only HTTP's: an HTTPS or management port taken
        // by another process (the mock upstream's ephemeral port, say) fails WildFly's boot
        int offset = freeOffset();
        int port = 8080 + offset;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-D[Standalone]");
        command.addAll(List.of("-Xms64m", "-Xmx512m", "-XX:MetaspaceSize=96M", "-XX:MaxMetaspaceSize=256m",
                "-Djava.net.preferIPv4Stack=true", "-Djboss.modules.system.pkgs=org.jboss.byteman",
                "-Djava.awt.headless=true"));
        // the flags bin/common.sh passes on a modular JDK
        command.addAll(List.of("--add-exports=java.desktop/sun.awt=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.url.ldap=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.url.ldaps=ALL-UNNAMED",
                "--add-exports=jdk.naming.dns/com.sun.jndi.dns=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--add-opens=java.base/java.security=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.management/javax.management=ALL-UNNAMED",
                "--add-opens=java.naming/javax.naming=ALL-UNNAMED"));
        command.add("-Dorg.jboss.boot.log.file=" + base.resolve("log/server.log"));
        command.add("-Dlogging.configuration=file:" + base.resolve("configuration/logging.properties"));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", home.resolve("jboss-modules.jar").toString(),
                "-mp", home.resolve("modules").toString(),
                "org.jboss.as.standalone",
                "-Djboss.home.dir=" + home,
                "-Djboss.server.base.dir=" + base,
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + offset));
        ContainerProcess process = ContainerProcess.start(name(), command, base, logDir.resolve(name() + ".log"));
        return new Started(process, URI.create("http://127.0.0.1:" + port),
                java.util.Optional.of(base.resolve("deployments/ROOT.war")));
    }

    /** An offset at which WildFly's HTTP, HTTPS and management ports (8080, 8443, 9990, 9993) are all free. */
    private static int freeOffset() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int offset = 10_000 + random.nextInt(20_000);
            if (java.util.stream.IntStream.of(8080, 8443, 9990, 9993).allMatch(p -> free(p + offset))) {
                return offset;
            }
        }
        throw new IOException("no free port offset for WildFly");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
