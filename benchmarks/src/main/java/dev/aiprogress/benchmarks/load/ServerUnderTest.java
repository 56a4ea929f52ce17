package dev.aiprogress.benchmarks.load;

import dev.aiprogress.testsupport.EmbeddedJetty;

import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketContainer;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import javax.management.ObjectName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plugin on embedded Jetty in a JVM of its own (T8: heap per idle socket), plus a bare Jakarta
 * WebSocket endpoint at {@code /bare} on the same server as the container's own per-socket cost.
 * Started by {@link IdleSocketsRun}; speaks a line protocol on stdin/stdout (replies start with
 * {@code @@}, so stray log lines cannot be mistaken for them):
 * <pre>
 * → @@PORT 12345                    once started
 * heap   → @@HEAP used-bytes gcs    after System.gc() until used heap settles
 * histo  → the gcClassHistogram text, then @@END
 * bare   → @@BARE open-sessions of /bare
 * open   → @@OPEN open sessions of the whole WebSocket container (-1 if unknown)
 * quit   → @@BYE, then exit (EOF on stdin too: the driver died, so must we)
 * </pre>
 * Args: {@code --users U} (realm u0..u(U-1) / p0..), so a fleet of several sockets per user can log in.
 */
public final class ServerUnderTest {

    static final String PREFIX = "@@";
    static final String BARE_PATH = "/bare";
    static final AtomicInteger BARE_OPEN = new AtomicInteger();
    static volatile ServerContainer container;

    private ServerUnderTest() {
    }

    public static void main(String[] args) throws Exception {
        int users = 10;
        for (int i = 0; i < args.length; i++) {
            if ("--users".equals(args[i])) {
                users = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + "; usage: ServerUnderTest [--users U]");
            }
        }
        // System.out carries the protocol: keep it line-flushed and alone
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Map<String, String> realm = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            realm.put("u" + u, "p" + u);
        }
        EmbeddedJetty jetty = EmbeddedJetty.builder().users(realm)
                // same provider config as the harness; no stream runs here, so the upstream is never dialled
                .initParam("ai-progress.providers", "mock")
                .initParam("ai-progress.provider.mock.dialect", "openai")
                .initParam("ai-progress.provider.mock.base-url", "http://127.0.0.1:9")
                .initParam("ai-progress.provider.mock.model", "m")
                .initParam("ai-progress.limits.max-concurrent-per-user", "1000")
                .initParam("ai-progress.gateway.retries", "0")
                .initParam("ai-progress.realtime.max-sockets-per-user", "100000")
                .customize(c -> c.addServletContainerInitializer(new BareInitializer()))
                .start();
        try {
            out.println(PREFIX + "PORT " + jetty.baseUri().getPort());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String cmd = line.trim();
                if (cmd.equals("heap")) {
                    long[] h = settledHeap();
                    out.println(PREFIX + "HEAP " + h[0] + " " + h[1]);
                } else if (cmd.equals("histo")) {
                    out.println(classHistogram());
                    out.println(PREFIX + "END");
                } else if (cmd.equals("bare")) {
                    out.println(PREFIX + "BARE " + BARE_OPEN.get());
                } else if (cmd.equals("open")) {
                    ServerContainer c = container;
                    out.println(PREFIX + "OPEN " + (c instanceof JakartaWebSocketContainer
                            ? ((JakartaWebSocketContainer) c).getOpenSessions().size() : -1));
                } else if (cmd.equals("quit")) {
                    out.println(PREFIX + "BYE");
                    break;
                } else if (!cmd.isEmpty()) {
                    out.println(PREFIX + "ERR unknown command " + cmd);
                }
            }
        } finally {
            jetty.close();
        }
        System.exit(0);
    }

    /** Used heap after full GCs, once two in a row agree within 64 KB (at most 8): {used, gcs}. */
    static long[] settledHeap() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long prev = Long.MAX_VALUE;
        int gcs = 0;
        while (true) {
            System.gc();
            gcs++;
            long used = mem.getHeapMemoryUsage().getUsed();
            if (Math.abs(prev - used) < 64 * 1024 || gcs >= 8) {
                return new long[] {Math.min(prev, used), gcs};
            }
            prev = used;
        }
    }

    /** What {@code jcmd <pid> GC.class_histogram} prints (it runs a full GC first, so only live objects count). */
    static String classHistogram() {
        try {
            ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            return "histogram unavailable: " + e;
        }
    }

    /** Registers the baseline the way the plugin registers its own endpoints: from the context's ServerContainer. */
    static final class BareInitializer implements ServletContainerInitializer {
        @Override
        public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
            Object attribute = context.getAttribute(ServerContainer.class.getName());
            if (!(attribute instanceof ServerContainer)) {
                throw new ServletException("no Jakarta WebSocket container: the bare baseline cannot be registered");
            }
            container = (ServerContainer) attribute;
            try {
                ((ServerContainer) attribute).addEndpoint(ServerEndpointConfig.Builder.create(BareEndpoint.class, BARE_PATH).build());
            } catch (DeploymentException e) {
                throw new ServletException(e);
            }
        }
    }

    /**
     * Holds nothing and answers nothing. Its only setting is an idle timeout as long as the
     * plugin's own (ping interval + timeout), since Jetty's 30 s default would close the baseline
     * mid-run while the plugin's sockets stay.
     */
    public static final class BareEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxIdleTimeout(10 * 60_000L);
            BARE_OPEN.incrementAndGet();
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            BARE_OPEN.decrementAndGet();
        }
    }
}
