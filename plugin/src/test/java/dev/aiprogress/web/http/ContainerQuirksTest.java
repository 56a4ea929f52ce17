package dev.aiprogress.web.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ContainerQuirks}: the container-facing half is a plain stand-in of {@link AsyncContext}
 * that records {@code addListener} calls, as Payara would accept them only during the first dispatch.
 */
class ContainerQuirksTest {

    private final List<AsyncListener> added = new ArrayList<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private final ServletRequest request = (ServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getAttribute" -> attributes.get((String) args[0]);
                case "setAttribute" -> attributes.put((String) args[0], args[1]);
                case "removeAttribute" -> attributes.remove((String) args[0]);
                default -> throw new UnsupportedOperationException(method.getName());
            });
    private final AsyncContext async = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> switch (method.getName()) {
                case "addListener" -> {
                    added.add((AsyncListener) args[0]);
                    yield null;
                }
                case "getRequest" -> request;
                case "getResponse" -> null;
                default -> throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void addAsyncListener_afterReserve_addsNothingLaterAndForwardsEvents() throws Exception {
        ContainerQuirks.reserveAsyncListener(async);
        assertEquals(1, added.size());

        List<String> seen = new ArrayList<>();
        AsyncListener reply = new Recording(seen);
        ContainerQuirks.addAsyncListener(async, reply);

        assertEquals(1, added.size(), "no addListener after the first dispatch");
        assertNotSame(reply, added.get(0));
        AsyncEvent event = new AsyncEvent(async);
        added.get(0).onTimeout(event);
        added.get(0).onError(event);
        added.get(0).onComplete(event);
        assertEquals(List.of("timeout", "error", "complete"), seen);
        assertEquals(Map.of(), attributes, "the slot is taken once");
    }

    @Test
    void addAsyncListener_withoutReserve_addsTheListenerItself() {
        AsyncListener reply = new Recording(new ArrayList<>());
        ContainerQuirks.addAsyncListener(async, reply);
        assertEquals(1, added.size());
        assertSame(reply, added.get(0));
    }

    @Test
    void reservedSlot_eventsBeforeTheListenerExists_areDropped() throws Exception {
        ContainerQuirks.reserveAsyncListener(async);
        added.get(0).onTimeout(new AsyncEvent(async));
        List<String> seen = new ArrayList<>();
        ContainerQuirks.addAsyncListener(async, new Recording(seen));
        assertEquals(List.of(), seen);
    }

    private record Recording(List<String> seen) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            seen.add("complete");
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            seen.add("timeout");
        }

        @Override
        public void onError(AsyncEvent event) {
            seen.add("error");
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            seen.add("start");
        }
    }

    /**
     * A record of a throwaway class loader (a web application's), compared, hashed and printed once,
     * keeps that loader reachable through the JDK's record-method handles (JDK-8280473) until the
     * caches are released; then the loader can be collected.
     */
    @Test
    void releaseJdkRecordMethodCaches_aWebAppsRecordWasCompared_itsLoaderCanBeCollected(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path source = dir.resolve("WebAppRecord.java");
        java.nio.file.Files.writeString(source, "public record WebAppRecord(String a, Object b) {"
                + " public static boolean use() { return new WebAppRecord(\"x\", 1).equals(new WebAppRecord(\"x\", 1))"
                + " && new WebAppRecord(\"y\", 2).hashCode() != 0 && !new WebAppRecord(\"z\", 3).toString().isEmpty(); } }");
        assertEquals(0, javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-d", dir.toString(), source.toString()));
        java.lang.ref.WeakReference<ClassLoader> loader = useRecordOfOwnLoader(dir);

        // on JDK 17 the loader stays reachable here however often the GC runs (JDK 19+ collects it)
        awaitCollected(loader, 3);
        ContainerQuirks.releaseJdkRecordMethodCaches();
        assertTrue(awaitCollected(loader, 50), "the web application's loader is still reachable");
    }

    private static java.lang.ref.WeakReference<ClassLoader> useRecordOfOwnLoader(java.nio.file.Path dir) throws Exception {
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null)) {
            assertEquals(Boolean.TRUE, loader.loadClass("WebAppRecord").getMethod("use").invoke(null));
            return new java.lang.ref.WeakReference<>(loader);
        }
    }

    /** True once collected (after at most {@code gcs} full GCs); false while still reachable. */
    private static boolean awaitCollected(java.lang.ref.WeakReference<ClassLoader> loader, int gcs) throws InterruptedException {
        for (int i = 0; i < gcs && loader.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return loader.get() == null;
    }
}
