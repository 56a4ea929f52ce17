package dev.aiprogress.benchmarks;

import org.openjdk.jmh.infra.Blackhole;

/** A Blackhole for running a benchmark method outside JMH (setup checks, the smoke test). */
final class SmokeBlackhole {

    /** JMH guards direct construction with this sentence: only benchmarks' own checks use it. */
    static final Blackhole INSTANCE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private SmokeBlackhole() {
    }
}
