package dev.aiprogress.demo;

/** Placeholder until the demo issue lands: says so honestly instead of pretending to serve. */
public final class DemoMain {
    private DemoMain() {
    }

    public static void main(String[] args) {
        System.out.println("ai-progress demo: not yet - the embedded Jetty demo lands with the demo issue.");
    }
}
