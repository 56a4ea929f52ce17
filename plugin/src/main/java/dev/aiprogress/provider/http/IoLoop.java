package dev.aiprogress.provider.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One I/O thread of the client: a selector over its connections, a queue of tasks handed to it
 * from other threads, and one read buffer that every connection of the loop reads into (each
 * read is fully handled before the next, so nothing needs a buffer of its own but TLS records
 * and the few bytes of a head or chunk line that straddle reads). Connections and their
 * exchanges are only touched on this thread.
 */
final class IoLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(IoLoop.class.getName());
    /** How often idle pooled connections are checked for expiry. */
    private static final long HOUSEKEEPING_MILLIS = 1_000;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Set while a wakeup is on its way, so a burst of hand-offs costs one. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ByteBuffer readBuffer;
    /** This loop's connections waiting in the pool (loop thread only; the pool itself is shared). */
    private final Set<Connection> idle = new LinkedHashSet<>();
    private final ConnectionPool pool;
    private final long idleTimeoutNanos;
    private volatile boolean closing;
    private long nextHousekeeping;

    IoLoop(String name, ConnectionPool pool, long idleTimeoutNanos) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.pool = pool;
        this.idleTimeoutNanos = idleTimeoutNanos;
        // large enough for one TLS record's plaintext, which the engine will not split
        this.readBuffer = ByteBuffer.allocate(64 * 1024);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on this loop's thread: now when called from it, else soon. */
    void execute(Runnable task) {
        if (inLoop()) {
            task.run();
            return;
        }
        tasks.add(task);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    Selector selector() {
        return selector;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    ConnectionPool pool() {
        return pool;
    }

    void becameIdle(Connection connection) {
        idle.add(connection);
    }

    void leftIdle(Connection connection) {
        idle.remove(connection);
    }

    /** Stops the thread; every connection of the loop is closed by it on its way out. */
    void close() {
        closing = true;
        selector.wakeup();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                selector.select(HOUSEKEEPING_MILLIS);
                wakeupPending.set(false);
                runTasks();
                Set<SelectionKey> ready = selector.selectedKeys();
                Iterator<SelectionKey> it = ready.iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isValid() && key.attachment() instanceof Connection c) {
                        c.onReady(key.readyOps());
                    }
                }
                housekeeping();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "AIP-104 the upstream I/O thread stopped unexpectedly", e);
        } finally {
            shutDown();
        }
    }

    private void runTasks() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "AIP-104 an upstream I/O task failed", e);
            }
        }
    }

    private void housekeeping() {
        long now = System.nanoTime();
        if (now - nextHousekeeping < 0) {
            return;
        }
        nextHousekeeping = now + HOUSEKEEPING_MILLIS * 1_000_000;
        List<Connection> expired = new ArrayList<>();
        for (Connection c : idle) {
            if (now - c.idleSince() > idleTimeoutNanos) {
                expired.add(c);
            }
        }
        for (Connection c : expired) {
            c.expire();
        }
    }

    private void shutDown() {
        runTasks();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection c) {
                c.shutDown();
            }
        }
        idle.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // the thread ends either way
        }
    }
}
