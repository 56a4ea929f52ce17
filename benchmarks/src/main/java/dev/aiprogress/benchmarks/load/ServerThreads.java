package dev.aiprogress.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CPU time and allocation of the server's threads only — Jetty's pool ({@code qtp…}), the plugin's
 * own threads ({@code ai-progress-…}) and the plugin's upstream HTTP client selector — so the
 * harness can report what the server costs per chunk apart from the mock and the load generator,
 * which share the process. Threads that die inside a window take their counts with them.
 */
final class ServerThreads {

    private static final Pattern CLIENT_SELECTOR = Pattern.compile("HttpClient-\\d+-SelectorManager");

    /** The harness's own HTTP clients' selector threads, named before any server starts. */
    private final Set<String> harnessSelectors;

    private ServerThreads(Set<String> harnessSelectors) {
        this.harnessSelectors = harnessSelectors;
    }

    /** Call after the harness built its clients and before it starts a server. */
    static ServerThreads afterHarnessClients() {
        java.util.HashSet<String> names = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (CLIENT_SELECTOR.matcher(t.getName()).matches()) {
                names.add(t.getName());
            }
        }
        return new ServerThreads(Set.copyOf(names));
    }

    boolean isServer(String name) {
        return name.startsWith("qtp") || name.startsWith("ai-progress-")
                || (CLIENT_SELECTOR.matcher(name).matches() && !harnessSelectors.contains(name));
    }

    /** {cpu nanos, allocated bytes} summed over the live server threads. */
    long[] totals() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean)) {
            return new long[] {-1, -1};
        }
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) mx;
        long cpu = 0;
        long alloc = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!isServer(t.getName())) {
                continue;
            }
            long id = t.getId();
            long c = sun.getThreadCpuTime(id);
            long a = sun.getThreadAllocatedBytes(id);
            cpu += Math.max(0, c);
            alloc += Math.max(0, a);
        }
        return new long[] {cpu, alloc};
    }
}
