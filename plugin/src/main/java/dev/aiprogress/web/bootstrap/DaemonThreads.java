package dev.aiprogress.web.bootstrap;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code ai-progress-<role>-<n>}, so an undeploy check can find leftovers by name. */
public final class DaemonThreads implements ThreadFactory {

    public static final String PREFIX = "ai-progress-";

    private final String role;
    private final AtomicInteger count = new AtomicInteger();

    public DaemonThreads(String role) {
        this.role = role;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, PREFIX + role + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
