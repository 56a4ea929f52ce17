package dev.aiprogress.containers;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Payara Micro 6 ({@code fish.payara.extras:payara-micro}). Its quirks, all here:
 * <ul>
 *   <li>the plugin-only WAR flavour: Payara ships JSON-P/JSON-B (Parsson, Yasson); a second copy
 *       in WEB-INF/lib would clash;</li>
 *   <li>users for {@code request.login}: the default {@code file} realm. {@code create-file-user}
 *       cannot run from a boot command file (a password option is refused: "Password not allowed
 *       on command line", the limitation of payara/Payara#1239), so the realm's keyfile is written
 *       before boot into {@code --rootdir}/config/keyfile by Payara's own
 *       {@code FileRealmStorageManager} from the micro jar's nested common-util.jar — the same
 *       hashing {@code asadmin create-file-user} uses — with exactly the README's steps: extract
 *       common-util.jar, run the README's {@code AddFileUser.java} with {@code java} (source-file
 *       mode), password on standard input;</li>
 *   <li>clustering (Hazelcast) and phone-home off, a fresh {@code --rootdir} and unpack dir per run
 *       so nothing lands in /tmp or leaks between runs;</li>
 *   <li>the HTTP listener bound to 127.0.0.1 by a {@code --prebootcommandfile} (Payara Micro has no
 *       bind-address option): like the other containers, a port taken meanwhile by another process
 *       then fails the start instead of letting requests reach that process;</li>
 *   <li>the WAR is copied as {@code ROOT.war} and deployed with {@code --contextroot /}.</li>
 * </ul>
 */
final class PayaraMicroLauncher implements ContainerLauncher {

    private final Path jar;

    PayaraMicroLauncher(Path jar) {
        this.jar = jar;
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no Payara Micro at " + jar + ": run with -Pcontainers so Maven downloads it");
        }
    }

    @Override
    public String name() {
        return "payara-micro-" + System.getProperty("aip.payara.version", "6");
    }

    @Override
    public Path war(Path warDir) {
        return warDir.resolve("ROOT-payara.war");
    }

    @Override
    public Duration startTimeout() {
        // unpacking the 100 MB runtime and booting takes a while on two shared cores
        return Duration.ofSeconds(240);
    }

    @Override
    public Started start(Path war, Map<String, String> systemProperties, Path workDir, Path logDir) throws IOException {
        Path base = workDir.resolve(name() + "-base");
        TomcatLauncher.deleteTree(base);
        Files.createDirectories(base.resolve("root"));
        Files.createDirectories(base.resolve("unpack"));
        Path deployed = base.resolve("ROOT.war");
        Files.copy(war, deployed, StandardCopyOption.REPLACE_EXISTING);
        writeFileRealmUser(base, base.resolve("root/config/keyfile"));
        int port = ContainerProcess.freePort();
        Path preBoot = base.resolve("pre-boot-commands.txt");
        Files.writeString(preBoot, "set configs.config.server-config.network-config.network-listeners"
                + ".network-listener.http-listener.address=127.0.0.1\n");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Djava.io.tmpdir=" + base.resolve("unpack"));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString(),
                "--nocluster", "--disablephonehome",
                "--rootdir", base.resolve("root").toString(),
                "--unpackdir", base.resolve("unpack").toString(),
                "--port", Integer.toString(port),
                "--prebootcommandfile", preBoot.toString(),
                "--deploy", deployed.toString(),
                "--contextroot", "/"));
        ContainerProcess process = ContainerProcess.start(name(), command, base, logDir.resolve(name() + ".log"));
        return new Started(process, URI.create("http://127.0.0.1:" + port));
    }

    /** The README's {@code AddFileUser.java}, word for word. */
    static final String ADD_FILE_USER = """
            import org.glassfish.security.common.FileRealmStorageManager;
            import java.io.BufferedReader;
            import java.io.InputStreamReader;
            import java.nio.file.Files;
            import java.nio.file.Path;

            /** Adds a user to a Payara file realm keyfile: java -cp common-util.jar AddFileUser.java <keyfile> <user> <group> */
            public class AddFileUser {
                public static void main(String[] args) throws Exception {
                    Path keyfile = Path.of(args[0]);
                    Files.createDirectories(keyfile.toAbsolutePath().getParent());
                    if (!Files.exists(keyfile)) {
                        Files.createFile(keyfile);
                    }
                    char[] password = System.console() != null ? System.console().readPassword("password for %s: ", args[1])
                            : new BufferedReader(new InputStreamReader(System.in)).readLine().toCharArray();
                    FileRealmStorageManager realm = new FileRealmStorageManager(keyfile.toString());
                    realm.addUser(args[1], password, new String[] {args[2]});
                    realm.persist();
                }
            }
            """;

    /** {@code alice;{SSHA256}...;ai-user}, written by Payara's own code through the README's steps. */
    private void writeFileRealmUser(Path base, Path keyfile) throws IOException {
        Path commonUtil = base.resolve("common-util.jar");
        try (ZipFile micro = new ZipFile(jar.toFile())) {
            ZipEntry entry = micro.getEntry("MICRO-INF/runtime/common-util.jar");
            if (entry == null) {
                throw new AssertionError("no MICRO-INF/runtime/common-util.jar in " + jar);
            }
            try (InputStream in = micro.getInputStream(entry)) {
                Files.copy(in, commonUtil, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path source = base.resolve("AddFileUser.java");
        Files.writeString(source, ADD_FILE_USER);
        Process add = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", commonUtil.toString(), source.toString(), keyfile.toString(), USER, "ai-user")
                .directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(base.resolve("add-file-user.log").toFile()).start();
        try (var stdin = add.getOutputStream()) {
            stdin.write((PASSWORD + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            if (!add.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || add.exitValue() != 0) {
                throw new AssertionError("AddFileUser failed: " + Files.readString(base.resolve("add-file-user.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
