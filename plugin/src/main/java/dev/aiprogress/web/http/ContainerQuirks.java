package dev.aiprogress.web.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

import java.io.IOException;
import java.util.Objects;

/**
 * Workarounds for differences between servlet containers, one small method each, each naming the
 * container behaviour it answers. Everything else in the plugin is plain Servlet/WebSocket API.
 */
public final class ContainerQuirks {

    private static final String LISTENER_SLOT = ContainerQuirks.class.getName() + ".asyncListener";

    private ContainerQuirks() {
    }

    /**
     * The request's {@code Content-Type}. Jetty 12.1's {@code ServletApiRequest.getContentType}
     * parses the charset and throws {@code IllegalCharsetNameException} for a header like
     * {@code application/json; charset="} (a 500 for a client's typo); the raw header is what the
     * body reader needs anyway. Found by HostileHttpFuzzTest.
     */
    static String contentType(jakarta.servlet.http.HttpServletRequest request) {
        try {
            return request.getContentType();
        } catch (RuntimeException unparsableCharset) {
            return request.getHeader("Content-Type");
        }
    }

    /**
     * Call right after a login created the session. Payara applies neither
     * {@code SessionCookieConfig.setAttribute("SameSite", …)} nor a {@code web.xml} cookie
     * {@code <attribute>} to its session cookie (found by the container test: {@code sid=…; Path=/;
     * HttpOnly}); the cookie is already a response header here, so the attribute is appended to it.
     * A container that wrote it (Tomcat, Jetty, WildFly) is left alone.
     */
    static void sameSiteOnSessionCookie(jakarta.servlet.http.HttpServletRequest request,
                                        jakarta.servlet.http.HttpServletResponse response) {
        jakarta.servlet.SessionCookieConfig config = request.getServletContext().getSessionCookieConfig();
        String name = config.getName() == null ? "JSESSIONID" : config.getName();
        String sameSite = config.getAttribute("SameSite") == null ? "Lax" : config.getAttribute("SameSite");
        java.util.List<String> headers = new java.util.ArrayList<>(response.getHeaders("Set-Cookie"));
        boolean changed = false;
        for (int i = 0; i < headers.size(); i++) {
            String h = headers.get(i);
            if (h.startsWith(name + "=") && !h.toLowerCase(java.util.Locale.ROOT).contains("samesite=")) {
                headers.set(i, h + "; SameSite=" + sameSite);
                changed = true;
            }
        }
        if (changed) {
            response.setHeader("Set-Cookie", headers.get(0));
            for (String h : headers.subList(1, headers.size())) {
                response.addHeader("Set-Cookie", h);
            }
        }
    }

    /**
     * Call last on undeploy. JDK 17 keeps, in {@code MethodHandle.asTypeCache}, the last type a
     * method handle was adapted to, strongly (JDK-8280473, fixed in JDK 19, not in 17u). The
     * record methods' bootstrap ({@code java.lang.runtime.ObjectMethods}) adapts its static handles
     * (reference equality, {@code Objects.equals/hashCode/toString}) to the record's own types the
     * first time a record's {@code equals}, {@code hashCode} or {@code toString} runs — so the static
     * handle of the JDK ends up holding a class of this web application, and with it its class
     * loader, until another record somewhere is compared: an undeployed plugin stayed in memory
     * (found by the container test that undeploys during a stream, from a heap dump: root
     * {@code ObjectMethods.OBJECT_EQ.asTypeCache} → {@code PluginStats.Model} → the loader). Running
     * the same bootstrap once for a JDK class ({@code Thread}, with a {@code String} getter) moves
     * every one of those caches onto JDK types.
     */
    public static void releaseJdkRecordMethodCaches() {
        try {
            java.lang.invoke.MethodHandle name = java.lang.invoke.MethodHandles.publicLookup().findVirtual(Thread.class,
                    "getName", java.lang.invoke.MethodType.methodType(String.class));
            for (String method : new String[] {"equals", "hashCode", "toString"}) {
                java.lang.runtime.ObjectMethods.bootstrap(java.lang.invoke.MethodHandles.lookup(), method,
                        java.lang.invoke.MethodHandle.class, Thread.class, "name", name);
            }
        } catch (Throwable e) {
            System.getLogger(ContainerQuirks.class.getName()).log(System.Logger.Level.DEBUG,
                    "record method caches not released: " + e);
        }
    }

    /**
     * Jetty 12's name for "this session's id was already renewed by an authentication"
     * ({@code SecurityHandler.SESSION_AUTHENTICATED_ATTRIBUTE}, read by {@code LoginAuthenticator.updateSession}).
     */
    static final String JETTY_SESSION_AUTHENTICATED = "org.eclipse.jetty.security.sessionAuthenticated";

    /**
     * Call on the session created right after a successful {@code request.login}. Jetty 12 renews
     * the id of any session it did not see created by an authentication the first time that
     * session meets an authenticator; when that is a deferred authentication (a request carrying
     * the {@code sid} cookie and {@code Authorization: Basic}, e.g. a metrics scrape) the renewal
     * runs against Jetty's always-committed placeholder response and fails with
     * {@code IllegalStateException: Response committed <id>} (a 500). The session made after login
     * is already a fresh one, so it is marked as Jetty marks its own; other containers ignore the attribute.
     */
    static void markSessionCreatedAfterLogin(jakarta.servlet.http.HttpSession session) {
        session.setAttribute(JETTY_SESSION_AUTHENTICATED, Boolean.TRUE);
    }

    /**
     * Call right after {@code startAsync}, during the servlet's own dispatch. Payara (GlassFish's
     * {@code org.apache.catalina.connector.AsyncContextImpl}) enforces the Servlet rule that
     * {@code AsyncContext.addListener} must not be called "after the container-initiated dispatch
     * during which ServletRequest.startAsync was called has returned to the container" and throws
     * {@code IllegalStateException}; Tomcat and Jetty accept it later. The chat reply's listener only
     * exists once the body has been read, which may be in a later {@code ReadListener} callback, so
     * a forwarding listener is added now and the real one is attached by {@link #addAsyncListener}.
     * Found by war-example's PayaraMicroContainerIT (body arriving after the first dispatch).
     */
    static void reserveAsyncListener(AsyncContext async) {
        ForwardingListener slot = new ForwardingListener();
        async.addListener(slot);
        async.getRequest().setAttribute(LISTENER_SLOT, slot);
    }

    /** Attaches {@code listener} to the slot {@link #reserveAsyncListener} made, or adds it directly. */
    static void addAsyncListener(AsyncContext async, AsyncListener listener) {
        Object slot = async.getRequest().getAttribute(LISTENER_SLOT);
        if (slot instanceof ForwardingListener forwarding) {
            async.getRequest().removeAttribute(LISTENER_SLOT);
            forwarding.delegate = Objects.requireNonNull(listener, "listener");
        } else {
            async.addListener(listener);
        }
    }

    /** Forwards to the listener attached later; events before that have no one to tell. */
    private static final class ForwardingListener implements AsyncListener {
        private volatile AsyncListener delegate;

        @Override
        public void onComplete(AsyncEvent event) throws IOException {
            AsyncListener d = delegate;
            // the request is over: a container that keeps its listeners (WildFly's idle worker
            // threads hold their last task) must not keep the plugin through this one
            delegate = null;
            if (d != null) {
                d.onComplete(event);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            AsyncListener d = delegate;
            if (d != null) {
                d.onTimeout(event);
            }
        }

        @Override
        public void onError(AsyncEvent event) throws IOException {
            AsyncListener d = delegate;
            if (d != null) {
                d.onError(event);
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) throws IOException {
            AsyncListener d = delegate;
            if (d != null) {
                d.onStartAsync(event);
            }
        }
    }
}
