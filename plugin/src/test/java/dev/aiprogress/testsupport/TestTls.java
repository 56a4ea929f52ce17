package dev.aiprogress.testsupport;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate made for the tests by the JDK's own {@code keytool} (nothing is
 * downloaded or checked in), with the server context that presents it and a client context that
 * trusts exactly it.
 */
public final class TestTls {

    /** For {@code 127.0.0.1}: what {@link MockUpstream#startTls} serves. */
    public static final String LOOPBACK_SAN = "ip:127.0.0.1,dns:localhost";

    private static final char[] PASSWORD = "test-only".toCharArray();
    private static final ConcurrentHashMap<String, TestTls> MADE = new ConcurrentHashMap<>();

    private final KeyStore keys;

    private TestTls(KeyStore keys) {
        this.keys = keys;
    }

    /** A certificate whose subject alternative names are {@code san} (keytool syntax), made once per JVM. */
    public static TestTls forNames(String san) {
        return MADE.computeIfAbsent(san, TestTls::make);
    }

    public static TestTls loopback() {
        return forNames(LOOPBACK_SAN);
    }

    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context whose only trust anchor is this certificate. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("mock", keys.getCertificate("mock"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestTls make(String san) {
        try {
            Path dir = Files.createTempDirectory("ai-progress-tls");
            Path store = dir.resolve("mock.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "mock", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=ai-progress test", "-ext", "SAN=" + san, "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD),
                    "-keypass", new String(PASSWORD))).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            Files.delete(store);
            Files.delete(dir);
            return new TestTls(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
