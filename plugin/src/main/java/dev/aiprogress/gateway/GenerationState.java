package dev.aiprogress.gateway;

/** {@code RUNNING → COMPLETED | FAILED | CANCELLED}; a generation reaches exactly one terminal state. */
public enum GenerationState {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }
}
