package dev.aiprogress.provider.http;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The plugin's HTTP/1.1 client for streaming calls to LLM providers: a POST goes out, the response
 * is read as it arrives and handed to a {@link ResponseHandler} on the client's I/O thread, where
 * decoding, splitting and publishing run too. Made for this one job, where the JDK's
 * {@code HttpClient} spent about 20 µs of CPU per streamed chunk in its reactive plumbing (thread
 * hand-offs, a selector update and several buffer copies per read) against ≈ 11 µs for the reads
 * themselves: see {@code benchmarks/RESULTS.md}.
 *
 * <p>What it does: plain and TLS connections (SNI, host name verification, the given
 * {@link SSLContext}), keep-alive pooling with one retry on a fresh connection when a pooled one
 * turns out to be closed before it answered, {@code Content-Length}, chunked and close-delimited
 * bodies, HTTP proxies from a {@link ProxySelector} ({@code CONNECT} tunnels for https), a connect
 * timeout, and cancellation by closing the connection (so the upstream sees the client go). What
 * it does not: redirects (a redirected POST would lose its body), HTTP/2, compression, proxy
 * authentication.
 *
 * <p>{@link #close()} stops every I/O thread and closes every connection: nothing of it outlives an
 * undeploy.
 */
public final class UpstreamClient implements AutoCloseable {

    /**
     * @param connectTimeout TCP connect, proxy tunnel and TLS handshake together
     * @param threads        I/O threads; each connection stays on one
     * @param sslContext     trust and keys for https
     * @param proxies        which proxy a URI goes through; {@link ProxySelector#getDefault()} reads the
     *                       JVM's {@code http(s).proxyHost} properties
     * @param idleTimeout    how long a pooled connection may wait for its next request
     */
    public record Options(Duration connectTimeout, int threads, SSLContext sslContext, ProxySelector proxies,
                          Duration idleTimeout) {
        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(sslContext, "sslContext");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }

        /** The JVM's default TLS context and proxy selector, a 30 s pool idle timeout. */
        public static Options defaults(Duration connectTimeout, int threads) {
            try {
                return new Options(connectTimeout, threads, SSLContext.getDefault(), ProxySelector.getDefault(),
                        Duration.ofSeconds(30));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        }
    }

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final String USER_AGENT = "ai-progress";

    private final Options options;
    private final ScheduledExecutorService scheduler;
    private final ConnectionPool pool = new ConnectionPool();
    private final IoLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private volatile boolean closed;

    /** @param scheduler for connect timeouts; owned by the caller */
    public UpstreamClient(Options options, ScheduledExecutorService scheduler) {
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.loops = new IoLoop[options.threads()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new IoLoop("ai-progress-upstream-" + (i + 1), pool, options.idleTimeout().toNanos());
        }
        for (IoLoop loop : loops) {
            loop.start();
        }
    }

    Duration connectTimeout() {
        return options.connectTimeout();
    }

    SSLContext sslContext() {
        return options.sslContext();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Sends {@code request}; the handler hears the response on an I/O thread. Never blocks on the
     * network (the host name is resolved here, which the JVM caches).
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public UpstreamExchange send(UpstreamRequest request, ResponseHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("the upstream client is closed");
        }
        URI uri = request.uri();
        for (Map.Entry<String, String> h : request.headers()) {
            if (!TOKEN.matcher(h.getKey()).matches()) {
                throw new IllegalArgumentException("'" + h.getKey() + "' is not a header name");
            }
        }
        String host = bare(uri.getHost());
        InetSocketAddress proxy = proxyFor(uri);
        ConnectionPool.Key key = new ConnectionPool.Key(request.https(), host, request.port(), proxy);
        InetSocketAddress address = proxy != null ? resolved(proxy) : new InetSocketAddress(host, request.port());
        Exchange exchange = new Exchange(this, key, address, requestBytes(request, proxy != null && !request.https()),
                handler);
        if (address.isUnresolved()) {
            loops[0].execute(() -> exchange.fail(new UnknownHostException("host name not resolved")));
            return exchange;
        }
        Connection pooled = pool.take(key);
        if (pooled != null) {
            pooled.loopExecute(() -> pooled.begin(exchange));
        } else {
            IoLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
            loop.execute(() -> Connection.open(loop, exchange));
        }
        return exchange;
    }

    /** Stops the I/O threads (each closes its connections on its way out) and waits briefly for them. */
    @Override
    public void close() {
        closed = true;
        for (IoLoop loop : loops) {
            loop.close();
        }
        for (IoLoop loop : loops) {
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private InetSocketAddress proxyFor(URI uri) {
        if (options.proxies() == null) {
            return null;
        }
        List<Proxy> choices;
        try {
            choices = options.proxies().select(uri);
        } catch (RuntimeException e) {
            return null;
        }
        for (Proxy p : choices == null ? List.<Proxy>of() : choices) {
            if (p.type() == Proxy.Type.DIRECT) {
                return null;
            }
            if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress a) {
                return a;
            }
        }
        return null;
    }

    private static InetSocketAddress resolved(InetSocketAddress a) {
        return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
    }

    /** {@code URI.getHost} keeps an IPv6 literal's brackets; sockets and TLS want it bare. */
    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The request as it goes on the wire: head (absolute-form target through an http proxy) and body. */
    static ByteBuffer requestBytes(UpstreamRequest request, boolean absoluteForm) {
        URI uri = request.uri();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        boolean defaultPort = request.port() == (request.https() ? 443 : 80);
        String authority = Connection.hostForHeader(bare(uri.getHost())) + (defaultPort ? "" : ":" + request.port());
        if (absoluteForm) {
            target = uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + authority + target;
        }
        StringBuilder head = new StringBuilder(256)
                .append("POST ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n")
                .append("User-Agent: ").append(USER_AGENT).append("\r\n")
                .append("Content-Length: ").append(request.body().length).append("\r\n");
        for (Map.Entry<String, String> h : request.headers()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer all = ByteBuffer.allocate(headBytes.length + request.body().length);
        all.put(headBytes).put(request.body()).flip();
        return all.asReadOnlyBuffer();
    }
}
