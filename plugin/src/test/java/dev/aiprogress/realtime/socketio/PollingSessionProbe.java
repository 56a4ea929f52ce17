package dev.aiprogress.realtime.socketio;

/** What tests in other packages may see of a polling session's state, to wait for it instead of sleeping. */
public final class PollingSessionProbe {

    private PollingSessionProbe() {
    }

    public static boolean parked(PollingSession s) {
        return s.hasParkedPoll();
    }

    public static boolean postActive(PollingSession s) {
        return s.isPostActive();
    }

    public static boolean upgraded(PollingSession s) {
        return s.phase() == PollingSession.Phase.UPGRADED;
    }
}
